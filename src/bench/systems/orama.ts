/**
 * Orama (@orama/orama v3) as a peer, configured as its documentation recommends for English text: the
 * built-in English stemmer on (`tokenizer: { stemming: true }`), stop-word removal (the docs' recommended
 * step; the list is Engram's own, so both drop the same words), default BM25 parameters, and for hybrid
 * search `mode: 'hybrid'` with a vector property holding the same embeddings Engram uses and the default
 * 0.5/0.5 weights. The vector `similarity` threshold defaults to 0.8, which suits large API embeddings;
 * averaged word vectors spread over a wider range, so the threshold is lowered to keep Orama's vector side
 * from returning nothing (a setting in Orama's favour).
 */

import type { SearchParams } from '@orama/orama';
import { EngramError, ErrorCodes } from '../../core/errors.js';
import { importOptional } from '../../core/optional-import.js';
import type { Embedder } from '../../embed/types.js';
import { ENGLISH_STOP_WORDS } from '../../text/stopwords.js';
import type { PeerDoc, PeerFactory, PeerIndex } from './peer.js';

export type OramaMode = 'bm25' | 'vector' | 'hybrid';

export interface OramaPeerOptions {
  mode: OramaMode;
  /** Required for `vector` and `hybrid`. */
  embedder?: Embedder;
  /** Minimum cosine similarity of vector hits. Default 0.1. */
  similarity?: number;
  /** Default: Engram's English stop words. */
  stopWords?: ReadonlySet<string>;
}

const EMBED_BATCH = 256;

export function oramaPeer(options: OramaPeerOptions): PeerFactory {
  const { mode, embedder } = options;
  if (mode !== 'bm25' && !embedder) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `Orama ${mode} search needs an embedder (use --embedder glove)`,
    );
  }
  const similarity = options.similarity ?? 0.1;
  const tokenizer = {
    language: 'english',
    stemming: true,
    stopWords: [...(options.stopWords ?? ENGLISH_STOP_WORDS)],
  };
  return {
    name: `orama-${mode}`,
    config: {
      system: 'orama',
      mode,
      tokenizer: {
        language: 'english',
        stemming: true,
        stopWords: options.stopWords ? 'custom' : 'engram-english',
      },
      ...(mode === 'bm25'
        ? {}
        : { embedder: embedder!.id, similarity, hybridWeights: { text: 0.5, vector: 0.5 } }),
    },
    create: () => createOramaIndex(mode, embedder, similarity, tokenizer),
  };
}

async function createOramaIndex(
  mode: OramaMode,
  embedder: Embedder | undefined,
  similarity: number,
  tokenizer: { language: string; stemming: boolean; stopWords: string[] },
) {
  const { create, insertMultiple, search } = await importOptional(
    '@orama/orama',
    'The Orama bench peer',
    () => import('@orama/orama'),
  );
  const vectorType = `vector[${embedder?.dimensions ?? 1}]` as const;
  const db = create({
    schema: { text: 'string', user: 'enum', ...(mode === 'bm25' ? {} : { embedding: vectorType }) },
    components: { tokenizer },
  });
  const searchMode = async (query: string, k: number, wanted: OramaMode, user?: string) => {
    if (wanted !== 'bm25' && mode === 'bm25') {
      throw new EngramError(
        ErrorCodes.UNSUPPORTED,
        `An Orama index built for bm25 holds no vectors for ${wanted} search`,
      );
    }
    const where = user === undefined ? undefined : { user: { eq: user } };
    const base = { limit: k, ...(where ? { where } : {}) };
    let params: SearchParams<typeof db>;
    if (wanted === 'bm25') {
      params = { ...base, term: query, properties: ['text'] };
    } else {
      const [vector] = await embedder!.embed([query], { kind: 'query' });
      const vec = { value: Array.from(vector!), property: 'embedding' };
      params =
        wanted === 'vector'
          ? { ...base, mode: 'vector', vector: vec, similarity }
          : { ...base, mode: 'hybrid', term: query, properties: ['text'], vector: vec, similarity };
    }
    const result = await search(db, params);
    return result.hits.map((h) => String(h.id));
  };
  const index: PeerIndex = {
    async add(docs: readonly PeerDoc[]) {
      for (let i = 0; i < docs.length; i += EMBED_BATCH) {
        const batch = docs.slice(i, i + EMBED_BATCH);
        const vectors =
          mode === 'bm25'
            ? null
            : await embedder!.embed(
                batch.map((d) => d.text),
                { kind: 'document' },
              );
        const rows = batch.map((d, j) => ({
          id: d.id,
          text: d.text,
          user: d.user,
          ...(vectors ? { embedding: Array.from(vectors[j]!) } : {}),
        }));
        await insertMultiple(db, rows, EMBED_BATCH);
      }
    },
    search(query: string, k: number, user?: string) {
      return searchMode(query, k, mode, user);
    },
    searchMode,
  };
  return index;
}
