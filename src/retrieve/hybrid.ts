import type { Embedder } from '../embed/types.js';
import type { ScopeFilter, ScoredId, Store } from '../store/types.js';
import {
  type FusedCandidate,
  normalizedScoreFusion,
  type RankedList,
  reciprocalRankFusion,
} from './fusion.js';
import type { QueryPlan, QueryTimeRange } from './query-plan.js';
import { DEFAULT_SHAPES, type ShapeConfig } from './question-shape.js';
import { DEFAULT_RERANK, type RerankConfig } from './rerank-stage.js';
import { DEFAULT_SIGNALS, type SignalConfig } from './signals.js';

export type RetrievalMode = 'hybrid' | 'bm25' | 'vector';

export interface RetrievalConfig {
  /** Candidates taken from each retriever before fusion. */
  candidates: number;
  fusion: 'rrf' | 'score';
  bm25Weight: number;
  vectorWeight: number;
  rrfK: number;
  /** BM25 weight of a turn's context (speaker, neighbouring turns) relative to its own text. */
  contextWeight: number;
  /**
   * Weight of a third list when the query names a time ("last weekend", "in July 2023"): BM25 restricted to
   * memories inside the named ranges. The global lists rank by words alone, so the turn that answers "what did
   * Maria do on 16 June?" may not even be among their candidates; this list brings it in. 0 = off.
   */
  timeRangeListWeight: number;
  /** How many fused candidates get their memory loaded and re-scored by signals. */
  pool: number;
  signals: SignalConfig;
  /** Pseudo-relevance feedback: expansion terms taken from the best BM25 hits (0 = off). */
  prfTerms: number;
  prfDocs: number;
  prfWeight: number;
  /**
   * Leave the names of the scope's speakers out of the BM25 query: in a conversation between two people their
   * names are everywhere and drown the words that matter; the speaker signal uses them instead.
   */
  dropSpeakerNames: boolean;
  /**
   * Correct query words the GloVe dictionary does not know ("torunament" → "tournament", added beside the
   * original; src/text/typos.ts). Needs the GloVe word vectors.
   */
  typoCorrection: boolean;
  /** Cross-encoder stage, used only when a reranker is configured. */
  rerank: RerankConfig;
  /** Ranking by question shape: set and inference questions (question-shape.ts). */
  shapes: ShapeConfig;
  /**
   * A relative named through its owner ("my sister") is searched by the name the memories give it too
   * ("Ana"), and memories that say the name or the relation in their own text gain this bonus:
   * entity-expansion.ts. 0 = off.
   */
  relationBonus: number;
}

export const DEFAULT_RETRIEVAL: RetrievalConfig = {
  candidates: 100,
  fusion: 'score',
  bm25Weight: 1,
  vectorWeight: 0.3,
  rrfK: 60,
  contextWeight: 0.75,
  timeRangeListWeight: 0.3,
  pool: 60,
  signals: DEFAULT_SIGNALS,
  prfTerms: 0,
  prfDocs: 5,
  prfWeight: 0.3,
  dropSpeakerNames: false,
  typoCorrection: true,
  rerank: DEFAULT_RERANK,
  shapes: DEFAULT_SHAPES,
  relationBonus: 0.3,
};

export interface RetrieveRequest {
  query: string;
  filter: ScopeFilter;
  k: number;
  mode: RetrievalMode;
  /** Time ranges and other query facts; without it no time-range list is searched. */
  plan?: QueryPlan;
}

export interface RetrieveDeps {
  store: Store;
  embedder: Embedder | null;
  analyzeQuery: (text: string) => string[];
  /** The index-side analyzer, for feedback terms. */
  analyze: (text: string) => string[];
  config: RetrievalConfig;
}

/** Candidate generation (BM25 ∪ vector within the scope) and fusion. */
export async function retrieveCandidates(
  deps: RetrieveDeps,
  req: RetrieveRequest,
): Promise<FusedCandidate[]> {
  const { store, embedder, config } = deps;
  const n = Math.max(config.candidates, req.k);
  const lists: RankedList[] = [];
  if (req.mode !== 'vector') {
    let terms = deps.analyzeQuery(req.query);
    if (config.dropSpeakerNames && req.filter.user !== undefined) {
      const names = new Set(
        deps.analyze((await store.speakers(req.filter.tenant, req.filter.user)).join(' ')),
      );
      const content = terms.filter((t) => !names.has(t));
      if (content.length > 0) terms = content;
    }
    const hits = await store.searchText(req.filter, terms, n, { contextWeight: config.contextWeight });
    lists.push({ name: 'bm25', weight: config.bm25Weight, hits });
    const ranges = req.plan?.ranges ?? [];
    if (config.timeRangeListWeight > 0 && ranges.length > 0) {
      lists.push({
        name: 'bm25InTimeRange',
        weight: config.timeRangeListWeight,
        hits: await searchTextInRanges(store, req.filter, ranges, terms, n, config.contextWeight),
      });
    }
    if (config.prfTerms > 0 && hits.length > 0) {
      const expansion = await feedbackTerms(
        deps,
        req.filter.tenant,
        hits.slice(0, config.prfDocs),
        new Set(terms),
      );
      if (expansion.length > 0) {
        lists.push({
          name: 'prf',
          weight: config.prfWeight,
          hits: await store.searchText(req.filter, [...terms, ...expansion], n, {
            contextWeight: config.contextWeight,
          }),
        });
      }
    }
  }
  if (req.mode !== 'bm25' && embedder) {
    const [qv] = await embedder.embed([req.query], { kind: 'query' });
    if (qv?.some((x) => x !== 0)) {
      lists.push({
        name: 'vector',
        weight: config.vectorWeight,
        hits: await store.searchVector(req.filter, embedder.id, qv, n),
      });
    }
  }
  return config.fusion === 'rrf' ? reciprocalRankFusion(lists, config.rrfK) : normalizedScoreFusion(lists);
}

/** BM25 within each time range (intersected with the scope's own bounds), merged best first. */
async function searchTextInRanges(
  store: Store,
  filter: ScopeFilter,
  ranges: readonly QueryTimeRange[],
  terms: string[],
  limit: number,
  contextWeight: number,
): Promise<ScoredId[]> {
  const best = new Map<string, number>();
  for (const r of ranges) {
    let from = new Date(r.start).toISOString();
    let to = new Date(r.end).toISOString();
    if (filter.occurredFrom !== undefined && filter.occurredFrom > from) from = filter.occurredFrom;
    if (filter.occurredTo !== undefined && filter.occurredTo < to) to = filter.occurredTo;
    if (from >= to) continue;
    const hits = await store.searchText({ ...filter, occurredFrom: from, occurredTo: to }, terms, limit, {
      contextWeight,
    });
    for (const h of hits) best.set(h.id, Math.max(best.get(h.id) ?? Number.NEGATIVE_INFINITY, h.score));
  }
  return [...best]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

/**
 * RM3-style feedback: the terms that weigh most in the best hits (weighted by each hit's share of the top
 * score and the term's share of the hit) and are not in the query already.
 */
async function feedbackTerms(
  deps: RetrieveDeps,
  tenant: string,
  top: { id: string; score: number }[],
  queryTerms: Set<string>,
): Promise<string[]> {
  const memories = await deps.store.getMany(
    tenant,
    top.map((h) => h.id),
  );
  const best = top[0]!.score;
  const weights = new Map<string, number>();
  memories.forEach((m, i) => {
    const terms = deps.analyze(m.text);
    if (terms.length === 0) return;
    const docWeight = top[i]!.score / best;
    for (const t of terms) {
      if (queryTerms.has(t) || t.length < 3) continue;
      weights.set(t, (weights.get(t) ?? 0) + docWeight / terms.length);
    }
  });
  return [...weights.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, deps.config.prfTerms)
    .map(([t]) => t);
}
