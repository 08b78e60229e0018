/**
 * Event times of stored memories, for retrieval: resolved from a memory's text and the time it was said
 * (src/text/time/events.ts), kept in a bounded cache because the same turns come back query after query.
 * Resolution is pure, so a cached answer is always the right one for the same text and time.
 */
import type { Memory } from '../core/types.js';
import { type EventTime, eventOverlap, resolveEventTimes } from '../text/time/events.js';
import type { QueryTimeRange } from './query-plan.js';

const CACHE_LIMIT = 50_000;
const cache = new Map<string, EventTime[]>();

export function memoryEventTimes(memory: Pick<Memory, 'text' | 'occurredAt'>): EventTime[] {
  const key = `${memory.occurredAt}\u0000${memory.text}`;
  let events = cache.get(key);
  if (events === undefined) {
    events = resolveEventTimes(memory.text, new Date(memory.occurredAt));
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, events);
  }
  return events;
}

/** The best overlap of the memory's event times with any of the ranges, 0..1, and the words that made it. */
export function eventMatch(
  memory: Pick<Memory, 'text' | 'occurredAt'>,
  ranges: readonly QueryTimeRange[],
): { overlap: number; text: string } | null {
  const events = memoryEventTimes(memory);
  if (events.length === 0) return null;
  let best: { overlap: number; text: string } | null = null;
  for (const r of ranges) {
    for (const e of events) {
      const overlap = eventOverlap([e], r.start, r.end);
      if (overlap > 0 && (!best || overlap > best.overlap)) best = { overlap, text: e.text };
    }
  }
  return best;
}
