import type { Embedder } from '../embed/types.js';
import type { ScopeFilter, Store } from '../store/types.js';
import { type FusedCandidate, type RankedList, normalizedScoreFusion, reciprocalRankFusion } from './fusion.js';

export type RetrievalMode = 'hybrid' | 'bm25' | 'vector';

export interface RetrievalConfig {
  /** Candidates taken from each retriever before fusion. */
  candidates: number;
  fusion: 'rrf' | 'score';
  bm25Weight: number;
  vectorWeight: number;
  rrfK: number;
}

export const DEFAULT_RETRIEVAL: RetrievalConfig = {
  candidates: 100,
  fusion: 'rrf',
  bm25Weight: 1,
  vectorWeight: 1,
  rrfK: 60,
};

export interface RetrieveRequest {
  query: string;
  filter: ScopeFilter;
  k: number;
  mode: RetrievalMode;
}

export interface RetrieveDeps {
  store: Store;
  embedder: Embedder | null;
  analyzeQuery: (text: string) => string[];
  config: RetrievalConfig;
}

/** Candidate generation (BM25 ∪ vector within the scope) and fusion. */
export async function retrieveCandidates(deps: RetrieveDeps, req: RetrieveRequest): Promise<FusedCandidate[]> {
  const { store, embedder, config } = deps;
  const n = Math.max(config.candidates, req.k);
  const lists: RankedList[] = [];
  if (req.mode !== 'vector') {
    const terms = deps.analyzeQuery(req.query);
    lists.push({ name: 'bm25', weight: config.bm25Weight, hits: await store.searchText(req.filter, terms, n) });
  }
  if (req.mode !== 'bm25' && embedder) {
    const [qv] = await embedder.embed([req.query], { kind: 'query' });
    if (qv && qv.some((x) => x !== 0)) {
      lists.push({
        name: 'vector',
        weight: config.vectorWeight,
        hits: await store.searchVector(req.filter, embedder.id, qv, n),
      });
    }
  }
  return config.fusion === 'rrf' ? reciprocalRankFusion(lists, config.rrfK) : normalizedScoreFusion(lists);
}
