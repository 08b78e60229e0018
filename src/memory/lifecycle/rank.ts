import type { Memory } from '../../core/types.js';
import { clamp01, currentStrength } from './decay.js';

/**
 * How much importance and (decayed) strength move a hit's relevance score. Relevance stays the main signal:
 * with the defaults the factor lies in [1 − (importance + strength) / 2, 1 + (importance + strength) / 2],
 * i.e. ±5 %, enough to order near-ties by what matters and what is fresh, never enough to lift an irrelevant
 * memory over a relevant one. The values are measured on LoCoMo (see docs/memory-model.md); raise them only
 * with a benchmark that shows a gain.
 */
export interface RankWeights {
  importance: number;
  strength: number;
}

export const DEFAULT_RANK_WEIGHTS: RankWeights = { importance: 0.05, strength: 0.05 };

/**
 * Multiplicative adjustment of a relevance score (Generative Agents' recency × importance × relevance, in a
 * mild, bounded form): 1 for a memory of middling importance at half strength.
 */
export function rankFactor(memory: Memory, now: Date, weights: RankWeights = DEFAULT_RANK_WEIGHTS): number {
  const importance = clamp01(memory.importance) - 0.5;
  const strength = currentStrength(memory, now) - 0.5;
  return 1 + 2 * (weights.importance * importance + weights.strength * strength);
}
