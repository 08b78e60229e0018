import type { Reranker } from '../rerank/types.js';
import type { ScoredMemory } from './signals.js';

export interface RerankConfig {
  /** How many of the best candidates the cross-encoder re-scores. */
  topN: number;
  /**
   * Weight of the cross-encoder's opinion against the first-stage score (both min-max normalised over the
   * re-scored candidates). 1 = the cross-encoder alone decides the order of the top N.
   */
  weight: number;
}

export const DEFAULT_RERANK: RerankConfig = { topN: 30, weight: 0.5 };

/** Re-orders the first `topN` candidates by a blend of their score and the reranker's; the rest keep their order. */
export async function rerankTop(
  reranker: Reranker,
  query: string,
  scored: ScoredMemory[],
  config: RerankConfig,
): Promise<ScoredMemory[]> {
  const head = scored.slice(0, config.topN);
  if (head.length < 2) return scored;
  const raw = await reranker.score(
    query,
    head.map((s) => s.memory.text),
  );
  const norm = (xs: number[]) => {
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    return xs.map((x) => (hi - lo > 1e-12 ? (x - lo) / (hi - lo) : 0.5));
  };
  const first = norm(head.map((s) => s.score));
  const second = norm(raw);
  const floor = scored[config.topN]?.score ?? Number.NEGATIVE_INFINITY;
  const top = head[0]!.score;
  const reranked = head
    .map((s, i) => {
      const blended = (1 - config.weight) * first[i]! + config.weight * second[i]!;
      // Map back onto the first stage's scale so reranked hits stay above the ones not re-scored.
      const score = Math.max(floor, 0) + blended * Math.max(top, 1e-9);
      return { ...s, score, signals: { ...s.signals, rerank: raw[i] } };
    })
    .sort((a, b) => b.score - a.score);
  return [...reranked, ...scored.slice(config.topN)];
}
