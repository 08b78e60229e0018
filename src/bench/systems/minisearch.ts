/**
 * MiniSearch as a peer, configured as its documentation shows: one indexed field, the default tokenizer and
 * BM25+ scoring, stop words dropped in `processTerm` (the docs' example of term processing; the list is
 * Engram's own, so both drop the same words), and default search options (terms joined with OR, exact
 * match). Prefix and fuzzy matching are left off: the docs offer them for search-as-you-type, and on whole
 * questions they only add noise.
 */
import { importOptional } from '../../core/optional-import.js';
import { ENGLISH_STOP_WORDS } from '../../text/stopwords.js';
import type { PeerDoc, PeerFactory, PeerIndex } from './peer.js';

export interface MiniSearchPeerOptions {
  /** Default: Engram's English stop words. */
  stopWords?: ReadonlySet<string>;
}

export function miniSearchPeer(options: MiniSearchPeerOptions = {}): PeerFactory {
  const stopWords = options.stopWords ?? ENGLISH_STOP_WORDS;
  return {
    name: 'minisearch',
    config: {
      system: 'minisearch',
      fields: ['text'],
      stopWords: options.stopWords ? 'custom' : 'engram-english',
      searchOptions: { combineWith: 'OR' },
    },
    create: () => createMiniSearchIndex(stopWords),
  };
}

async function createMiniSearchIndex(stopWords: ReadonlySet<string>): Promise<PeerIndex> {
  const { default: MiniSearch } = await importOptional(
    'minisearch',
    'The MiniSearch bench peer',
    () => import('minisearch'),
  );
  const mini = new MiniSearch<PeerDoc>({
    fields: ['text'],
    storeFields: ['user'],
    processTerm: (term) => {
      const lower = term.toLowerCase();
      return stopWords.has(lower) ? null : lower;
    },
  });
  return {
    async add(docs: readonly PeerDoc[]) {
      mini.addAll(docs);
    },
    async search(query: string, k: number, user?: string) {
      const results = mini.search(query, user === undefined ? {} : { filter: (r) => r.user === user });
      return results.slice(0, k).map((r) => String(r.id));
    },
  };
}
