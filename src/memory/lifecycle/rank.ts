import type { Memory } from '../../core/types.js';
import { clamp01, currentStrength } from './decay.js';

/**
 * How the lifecycle adjusts a hit's relevance score. Relevance stays the main signal: importance and
 * decayed strength move it by at most ± (importance + strength) / 2, enough to order near-ties by what
 * matters and what is fresh, never enough to lift an irrelevant memory over a relevant one. Every default is
 * measured on LoCoMo (docs/memory-model.md, "Measurements"); change one only with a benchmark that shows a
 * gain.
 */
export interface RankWeights {
  importance: number;
  /**
   * 0 by default: LoCoMo questions ask about old and new alike, so rewarding fresh memories cost session
   * Hit@1 at every weight tried; strength drives archiving in `maintain` instead.
   */
  strength: number;
  /**
   * Multiplier for a memory no longer valid at `now` (superseded), which search returns only when asked
   * for the past: among such results the current fact still comes first.
   */
  superseded: number;
  /**
   * Multiplier for facts. A fact restates part of a turn in a few words, and BM25's length normalisation
   * rewards short texts, so at full weight facts crowd out the turns that hold the fuller answer; at half
   * weight they lift only where they match much better (dated events, profile questions).
   */
  fact: number;
  /**
   * Multiplier for session summaries. A summary quotes a few sentences of its session's turns, so at full
   * weight it takes a place among the best hits without adding anything the turns do not say.
   */
  summary: number;
}

export const DEFAULT_RANK_WEIGHTS: RankWeights = {
  importance: 0.05,
  strength: 0,
  superseded: 0.8,
  fact: 0.6,
  summary: 0.6,
};

/**
 * Multiplicative adjustment of a relevance score (Generative Agents' recency × importance × relevance, in a
 * mild, bounded form): 1 for a turn or note of middling importance at half strength; a memory closed before
 * `now` is further multiplied by `superseded`, a fact by `fact`.
 */
export function rankFactor(memory: Memory, now: Date, weights: RankWeights = DEFAULT_RANK_WEIGHTS): number {
  const importance = clamp01(memory.importance) - 0.5;
  const strength = weights.strength === 0 ? 0 : currentStrength(memory, now) - 0.5;
  let factor = 1 + weights.importance * importance + weights.strength * strength;
  if (memory.kind === 'fact') factor *= weights.fact;
  else if (memory.kind === 'summary') factor *= weights.summary;
  const closed = memory.validTo !== null && Date.parse(memory.validTo) <= now.getTime();
  return closed ? factor * weights.superseded : factor;
}
