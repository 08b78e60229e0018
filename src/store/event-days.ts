import { MAX_EVENT_DAYS, type StoredEventTime } from './types.js';

/**
 * Event ranges as both stores keep them: whole UTC days counted from 1970-01-01, [start, end). Shared so that
 * the two backends store, bound and score the same numbers.
 */
const DAY_MS = 86_400_000;

export interface EventDays {
  start: number;
  end: number;
  granularity: string;
}

/** The ranges worth a row: valid, non-empty and not longer than MAX_EVENT_DAYS; duplicates dropped. */
export function eventDays(events: readonly StoredEventTime[]): EventDays[] {
  const out = new Map<string, EventDays>();
  for (const e of events) {
    const start = Date.parse(`${e.start}T00:00:00Z`) / DAY_MS;
    const end = Date.parse(`${e.end}T00:00:00Z`) / DAY_MS;
    if (!Number.isInteger(start) || !Number.isInteger(end) || end <= start || end - start > MAX_EVENT_DAYS)
      continue;
    const key = `${start}:${end}`;
    if (!out.has(key)) out.set(key, { start, end, granularity: e.granularity });
  }
  return [...out.values()];
}

/** The UTC days an [from, to) instant range touches, or null when it is empty or not a date. */
export function queryDays(from: string, to: string): { from: number; to: number } | null {
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= a) return null;
  return { from: Math.floor(a / DAY_MS), to: Math.ceil(b / DAY_MS) };
}
