import type { Memory } from '../core/types.js';
import type { Reranker } from '../rerank/types.js';
import type { ScopeFilter } from '../store/types.js';
import { findTypos, withCorrections } from '../text/typos.js';
import { referencedSession } from './conversation.js';
import { eventTimeList, fuseLists, type RetrievalMode, type RetrieveDeps, retrieveLists } from './hybrid.js';
import { contentQuery, planQuery } from './query-plan.js';
import { rerankTop } from './rerank-stage.js';
import { applySignals, type ScoredMemory } from './signals.js';
import type { WordVectors } from './soft-match.js';

export interface SearchDeps extends RetrieveDeps {
  /** Static word vectors for soft matching, or null. */
  words: WordVectors | null;
  /** Cross-encoder for the last stage, or null. */
  reranker: Reranker | null;
  /** Extra multiplicative factor per memory (decay, importance), 1 = neutral. */
  rankFactor?: (memory: Memory, now: Date) => number;
}

export interface SearchRequest {
  query: string;
  filter: ScopeFilter;
  k: number;
  mode: RetrievalMode;
  /** Reference time for the query's time expressions ("last week"). */
  now: Date;
  /** Use the reranker when there is one. Default true. */
  rerank?: boolean;
}

/**
 * The whole read path, best first: candidates (BM25, vectors, BM25 within the query's time ranges) fused →
 * the best `pool` loaded and re-scored by signals → optional cross-encoder over the top. Returns at most `k`.
 */
export async function searchMemories(deps: SearchDeps, req: SearchRequest): Promise<ScoredMemory[]> {
  const dictionary = deps.config.typoCorrection ? deps.words?.dictionary : undefined;
  const corrections = dictionary ? findTypos(req.query, dictionary) : [];
  // The corrected words join the query beside the misspelt ones, for every stage but the cross-encoder,
  // which reads subwords and is better served by what the user wrote.
  const query = withCorrections(req.query, corrections);
  const plan = planQuery(query, req.now);
  const session = await referencedSession(deps.store, req.filter, plan);
  const { lists, eventWindow } = await retrieveLists(deps, {
    query: session !== null ? contentQuery(plan) : query,
    filter: req.filter,
    k: req.k,
    mode: req.mode,
    plan,
    ...(session !== null ? { session } : {}),
  });
  const size = Math.max(req.k, deps.config.pool);
  let pool = fuseLists(lists, deps.config).slice(0, size);
  if (pool.length === 0 && eventWindow.length === 0) return [];
  // One load for the pool and the hits around the query's time ranges: the event-time list needs their
  // text. Adding that list only adds to scores, so the new pool holds loaded memories only.
  const ids = [...new Set([...pool.map((c) => c.id), ...eventWindow.map((h) => h.id)])];
  const loaded = new Map((await deps.store.getMany(req.filter.tenant, ids)).map((m) => [m.id, m]));
  const events = eventTimeList(deps.config, eventWindow, loaded, plan);
  if (events) pool = fuseLists([...lists, events], deps.config).slice(0, size);
  if (pool.length === 0) return [];
  const context: Parameters<typeof applySignals>[2] = {
    query,
    now: req.now,
    config: deps.config.signals,
    plan,
    words: deps.words,
    conversationSession: session,
  };
  if (deps.rankFactor) context.rankFactor = deps.rankFactor;
  let scored = applySignals(pool, loaded, context);
  if (corrections.length > 0) {
    const spelling = corrections.map((c) => `${c.word} → ${c.correction}`).join(', ');
    for (const s of scored) s.signals.spelling = spelling;
  }
  if (deps.reranker && req.rerank !== false) {
    scored = await rerankTop(deps.reranker, req.query, scored, deps.config.rerank);
  }
  return scored.slice(0, req.k);
}
