import type { ScoredId } from '../store/types.js';

/** One ranked candidate list from one retriever (bm25, vector, ...). */
export interface RankedList {
  name: string;
  weight: number;
  hits: ScoredId[];
}

export interface FusedCandidate {
  id: string;
  score: number;
  signals: Record<string, { rank: number; score: number }>;
  /** Re-scored beyond the pool for its time range only (pipeline.ts, `rangePool`). */
  beyondPool?: boolean;
}

/**
 * Reciprocal rank fusion: score = Σ weight / (k + rank). Rank-based, so BM25's unbounded scores and cosine
 * similarities need no calibration against each other.
 */
export function reciprocalRankFusion(lists: RankedList[], k = 60): FusedCandidate[] {
  const byId = new Map<string, FusedCandidate>();
  for (const list of lists) {
    list.hits.forEach((hit, i) => {
      let c = byId.get(hit.id);
      if (!c) {
        c = { id: hit.id, score: 0, signals: {} };
        byId.set(hit.id, c);
      }
      c.score += list.weight / (k + i + 1);
      c.signals[list.name] = { rank: i + 1, score: hit.score };
    });
  }
  return [...byId.values()].sort((a, b) => b.score - a.score);
}

/**
 * Score fusion after normalising each list: BM25 by its best score (so 1 = the best lexical match), cosine
 * as is (already 0..1 for related texts). Keeps how much better the best hit is than the next, which rank
 * fusion throws away.
 */
export function normalizedScoreFusion(lists: RankedList[]): FusedCandidate[] {
  const byId = new Map<string, FusedCandidate>();
  for (const list of lists) {
    if (list.hits.length === 0) continue;
    const max = Math.max(...list.hits.map((h) => h.score));
    const min = Math.min(...list.hits.map((h) => h.score));
    const span = max - min;
    list.hits.forEach((hit, i) => {
      let c = byId.get(hit.id);
      if (!c) {
        c = { id: hit.id, score: 0, signals: {} };
        byId.set(hit.id, c);
      }
      const norm = span > 1e-12 ? (hit.score - min) / span : 1;
      c.score += list.weight * norm;
      c.signals[list.name] = { rank: i + 1, score: hit.score };
    });
  }
  return [...byId.values()].sort((a, b) => b.score - a.score);
}
