import type { Memory } from '../../core/types.js';
import { clamp01, currentStrength } from './decay.js';

/**
 * How much importance and (decayed) strength move a hit's relevance score. Relevance stays the main signal:
 * with the default weights the factor lies within 1 ± 0.05, enough to order near-ties by what matters and what is fresh, never enough to lift an irrelevant
 * memory over a relevant one. The values are measured on LoCoMo (see docs/memory-model.md); raise them only
 * with a benchmark that shows a gain.
 */
export interface RankWeights {
  importance: number;
  strength: number;
  /**
   * Multiplier for a memory no longer valid at `now` (superseded), which search returns only when asked
   * for the past: among such results the current fact still comes first.
   */
  superseded: number;
}

export const DEFAULT_RANK_WEIGHTS: RankWeights = { importance: 0.05, strength: 0.05, superseded: 0.8 };

/**
 * Multiplicative adjustment of a relevance score (Generative Agents' recency × importance × relevance, in a
 * mild, bounded form): 1 for a memory of middling importance at half strength, 1 ± (importance + strength
 * weights) / 2 at the extremes; a memory closed before `now` is further multiplied by `superseded`.
 */
export function rankFactor(memory: Memory, now: Date, weights: RankWeights = DEFAULT_RANK_WEIGHTS): number {
  const importance = clamp01(memory.importance) - 0.5;
  const strength = currentStrength(memory, now) - 0.5;
  const factor = 1 + weights.importance * importance + weights.strength * strength;
  const closed = memory.validTo !== null && Date.parse(memory.validTo) <= now.getTime();
  return closed ? factor * weights.superseded : factor;
}
