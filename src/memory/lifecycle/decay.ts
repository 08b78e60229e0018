import type { Memory } from '../../core/types.js';

/**
 * Ebbinghaus-style forgetting with reinforcement.
 *
 * A memory's stored `strength` is its peak: the value right after it was formed (1) or last reinforced.
 * From then on it fades exponentially:
 *
 *   strength(now) = peak × 2^(−Δ / h)
 *   Δ = days since the memory was last reinforced (lastAccessedAt), or since it happened (occurredAt)
 *   h = BASE_HALF_LIFE_DAYS × (0.5 + importance) × HALF_LIFE_GROWTH^min(accessCount, MAX_GROWTH_STEPS)
 *
 * Each recall or restatement adds RECALL_BOOST to the peak (capped at 1), restarts the clock and, through
 * accessCount, multiplies the half-life — so what is recalled again and again is forgotten ever more slowly
 * (MemoryBank's "strength grows with each recall", with a half-life rather than its unit-step stability).
 *
 * The peak form is what `Store.recordAccess` needs: the new peak (reinforceOnRecall) and lastAccessedAt, with
 * the access count incremented by the store.
 */
export const DECAY = {
  /** Half-life of a memory of importance 0.5 that was never recalled. */
  BASE_HALF_LIFE_DAYS: 14,
  /** Each reinforcement multiplies the half-life by this. */
  HALF_LIFE_GROWTH: 2,
  /** Growth stops after this many reinforcements (h ≤ 14 × 1.5 × 2^8 days ≈ 15 years). */
  MAX_GROWTH_STEPS: 8,
  /** Added to the peak strength by one recall. */
  RECALL_BOOST: 0.2,
  /** Added to the peak strength when the same fact is said again (a restatement weighs more than a recall). */
  RESTATE_BOOST: 0.4,
} as const;

const DAY_MS = 86_400_000;

/** Half-life in days of a memory, given its importance and how often it has been reinforced. */
export function halfLifeDays(memory: Pick<Memory, 'importance' | 'accessCount'>): number {
  const steps = Math.min(Math.max(memory.accessCount, 0), DECAY.MAX_GROWTH_STEPS);
  return DECAY.BASE_HALF_LIFE_DAYS * (0.5 + clamp01(memory.importance)) * DECAY.HALF_LIFE_GROWTH ** steps;
}

/** When the forgetting curve last restarted: the last reinforcement, else when the memory happened. */
export function decayOrigin(memory: Pick<Memory, 'lastAccessedAt' | 'occurredAt'>): string {
  return memory.lastAccessedAt ?? memory.occurredAt;
}

/** Strength in [0, 1] at `now` (a memory from the future has not faded yet). */
export function currentStrength(
  memory: Pick<Memory, 'strength' | 'importance' | 'accessCount' | 'lastAccessedAt' | 'occurredAt'>,
  now: Date,
): number {
  const origin = Date.parse(decayOrigin(memory));
  const days = Number.isNaN(origin) ? 0 : Math.max(0, (now.getTime() - origin) / DAY_MS);
  return clamp01(memory.strength) * 2 ** (-days / halfLifeDays(memory));
}

/** What a recall does to strength: the new peak, to be stored with lastAccessedAt = now and accessCount + 1. */
export function reinforceOnRecall(memory: Pick<Memory, 'strength'>, _now?: Date): { strength: number } {
  return { strength: Math.min(1, clamp01(memory.strength) + DECAY.RECALL_BOOST) };
}

/**
 * What hearing the same fact again does: the peak rises by the larger restatement boost, the clock restarts
 * and the reinforcement count grows, exactly like a recall.
 */
export function reinforceOnRestatement(
  memory: Pick<Memory, 'strength' | 'accessCount'>,
  now: Date,
): Pick<Memory, 'strength' | 'accessCount' | 'lastAccessedAt'> {
  return {
    strength: Math.min(1, clamp01(memory.strength) + DECAY.RESTATE_BOOST),
    accessCount: memory.accessCount + 1,
    lastAccessedAt: now.toISOString(),
  };
}

export function clamp01(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return Math.min(1, Math.max(0, x));
}
