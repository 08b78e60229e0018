import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EngramError, ErrorCodes } from '../core/errors.js';
import type { Embedder } from '../embed/types.js';
import { DEFAULT_RETRIEVAL, type RetrievalConfig } from '../retrieve/hybrid.js';
import type { WordVectors } from '../retrieve/soft-match.js';
import { createTextIndexer } from '../retrieve/text-index.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/types.js';
import { analyze, analyzeQuery } from '../text/analyzer.js';
import { EngramEngine } from './engine.js';
import { DEFAULT_RANK_WEIGHTS } from './lifecycle/index.js';
import { checkName, DEFAULT_MAX_TEXT_LENGTH } from './prepare.js';
import type { Engram, OpenOptions } from './types.js';

/**
 * Names the analyzer's output format in the database file; bump it whenever `analyze` changes what terms it
 * emits, so that existing files rebuild their full-text index on open.
 */
export const ANALYZER_VERSION = 'analyzer-6';

/** $ENGRAM_DB, else ./engram.db in the working directory (never inside node_modules). */
export function defaultDbPath(): string {
  return process.env.ENGRAM_DB && process.env.ENGRAM_DB.trim() !== ''
    ? process.env.ENGRAM_DB
    : resolve('engram.db');
}

async function resolveEmbedder(choice: OpenOptions['embedder']): Promise<Embedder | null> {
  if (choice === 'none') return null;
  if (choice === undefined || choice === 'glove') {
    const { createGloveEmbedder } = await import('../embed/glove.js');
    return createGloveEmbedder();
  }
  if (typeof choice === 'object' && typeof choice.embed === 'function') return choice;
  throw new EngramError(ErrorCodes.INVALID_INPUT, 'embedder must be "glove", "none" or an Embedder object');
}

/**
 * Opens (creating if needed) an Engram memory. The returned handle is confined to one tenant; use
 * `withContext({ tenant })` for others.
 */
export async function open(options: OpenOptions = {}): Promise<Engram> {
  const tenant = options.tenant === undefined ? 'default' : checkName(options.tenant, 'tenant', true);
  let store: Store;
  if (options.store) {
    store = options.store;
  } else {
    const path = options.path ?? defaultDbPath();
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    const cacheMb = options.vectorCacheMb ?? 512;
    if (!Number.isFinite(cacheMb) || cacheMb <= 0) {
      throw new EngramError(
        ErrorCodes.INVALID_INPUT,
        `vectorCacheMb must be a positive number of MiB, got ${options.vectorCacheMb}`,
      );
    }
    store = SqliteStore.open(path, {
      indexer: createTextIndexer(analyze, ANALYZER_VERSION),
      vectorCacheBytes: cacheMb * 1024 * 1024,
    });
  }
  let embedder: Embedder | null;
  try {
    embedder = await resolveEmbedder(options.embedder);
  } catch (e) {
    await store.close();
    throw e;
  }
  const retrieval: RetrievalConfig = { ...DEFAULT_RETRIEVAL, ...options.retrieval };
  const engine = new EngramEngine(
    {
      store,
      embedder,
      reranker: options.reranker ?? null,
      llm: options.llm ?? null,
      analyzeQuery,
      analyze,
      words: await loadWordVectors(embedder),
      rankWeights: { ...DEFAULT_RANK_WEIGHTS, ...options.rankWeights },
      retrieval,
      maxTextLength: options.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH,
      now: options.now ?? (() => new Date()),
      dispose: async () => {
        await store.close();
        await embedder?.close?.();
        await options.reranker?.close?.();
      },
    },
    tenant,
    options.actor ?? 'library',
    true,
  );
  return engine;
}

/** Soft matching uses GloVe word vectors; they come with the GloVe embedder's cache. */
async function loadWordVectors(embedder: Embedder | null): Promise<WordVectors | null> {
  if (!embedder?.id.startsWith('glove-')) return null;
  const { loadSharedGloveCache } = await import('../embed/glove.js');
  const { gloveWordVectors } = await import('../embed/glove-words.js');
  const cache = loadSharedGloveCache();
  return cache ? gloveWordVectors(cache) : null;
}
