/**
 * Event time: when the things a memory tells about happened, as opposed to when it was said. "I went to my
 * first pottery class yesterday", said on 5 December, happened on 4 December; 「我下周六要去杭州」 said on a
 * Tuesday happens on the Saturday of the next week. The time expressions of the text are resolved against
 * the time it was said, plans are moved forward, and what names no date ("recently", a bare "summer") is
 * left out.
 *
 * Pure and deterministic (same text and said time, same answer), total (any string, never throws for text),
 * and bounded: only the first MAX_EVENT_TEXT characters are read and at most MAX_EVENTS ranges kept, so the
 * cost grows with the input length up to a fixed cap.
 */
import type { EventTime } from '../../core/types.js';
import { parseTimeExpressions } from '../time.js';

export type { EventTime } from '../../core/types.js';

/**
 * Characters of a memory read for event times: a chat turn is shorter, a longer text is a document whose
 * dates are mostly asides, and every hit of a search resolves its text (cached), so the cost must stay small.
 */
export const MAX_EVENT_TEXT = 500;
/**
 * Names the rules below and the parser's: stores re-compute every memory's stored event times when it changes
 * (EventTimeIndexer in src/store/types.ts). Bump it with any change that moves a resolved range.
 */
export const EVENT_RULES_VERSION = 'events-1';
/** Event ranges kept per memory. */
export const MAX_EVENTS = 8;
const DAY_MS = 86_400_000;

/** A verb form that places a statement in the future ("will", "going to", "plan to", 要, 打算 …). */
const FUTURE_EN =
  /\b(will|'ll|going to|gonna|plan(?:s|ning)? to|about to|intend|hoping to|turns|is turning|upcoming)\b/i;
const FUTURE_ZH = /(要|将|会|打算|计划|准备|满)/;
/** Expressions that point backwards whatever the tense. */
export const EXPLICIT_PAST = /\b(last|ago|yesterday|previous|past)\b|[昨前上去]|\d{4}/i;
/** Vague spans name no date an event could carry. */
const VAGUE =
  /^(?:recently|lately|recent|these days|nowadays|not long ago|the other day|最近|近来|近期|近日|这段时间|这阵子|这几天|这些天|前几天|前些天|前些日子|前阵子|前段时间)$/i;
const BARE_SEASON = /^(?:(?:the|in the|during the|in)\s+)?(?:spring|summer|autumn|fall|winter)$/i;
/** Cheap pre-check, the same idea as the parser's: no digit and no calendar word means no date. */
const DATE_HINT =
  /\d|day|week|month|year|ago|night|tonight|tomorrow|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|[年月日号天周星期礼拜昨今明]/i;

export function isFutureStatement(text: string): boolean {
  return FUTURE_EN.test(text) || FUTURE_ZH.test(text);
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The event ranges of `text` said at `said` (UTC calendar days), in text order. An invalid `said` gives
 * none: a memory always has a valid occurredAt, and a total function is easier to build on than one that
 * throws.
 */
export function resolveEventTimes(text: string, said: Date): EventTime[] {
  if (typeof text !== 'string' || !(said instanceof Date) || Number.isNaN(said.getTime())) return [];
  const head = text.length > MAX_EVENT_TEXT ? text.slice(0, MAX_EVENT_TEXT) : text;
  if (!DATE_HINT.test(head)) return [];
  const saidDay = Math.floor(said.getTime() / DAY_MS) * DAY_MS;
  const future = isFutureStatement(head);
  const out: EventTime[] = [];
  for (const e of parseTimeExpressions(head, said)) {
    const words = e.text.trim();
    if (VAGUE.test(words) || BARE_SEASON.test(words)) continue;
    let start = e.start.getTime();
    let end = e.end.getTime();
    if (future && end <= saidDay && !EXPLICIT_PAST.test(words)) {
      // A plan's bare weekday or month ("on Friday", "in October") is the next one, not the last.
      if (e.granularity === 'day') {
        start += 7 * DAY_MS;
        end += 7 * DAY_MS;
      } else if (e.granularity === 'month') {
        const d = new Date(start);
        start = Date.UTC(d.getUTCFullYear() + 1, d.getUTCMonth(), 1);
        end = Date.UTC(d.getUTCFullYear() + 1, d.getUTCMonth() + 1, 1);
      }
    }
    out.push({ text: e.text, start: isoDay(start), end: isoDay(end), granularity: e.granularity });
    if (out.length >= MAX_EVENTS) break;
  }
  return out;
}

/**
 * How much of the memory's events lies inside [from, to) (epoch ms): the best share over its event ranges,
 * |event ∩ range| / |event|. A day inside a queried month counts fully; a month asked about by one of its
 * days counts a thirtieth, so coarse events never outrank precise ones.
 */
export function eventOverlap(events: readonly EventTime[], from: number, to: number): number {
  let best = 0;
  for (const e of events) {
    const start = Date.parse(`${e.start}T00:00:00Z`);
    const end = Date.parse(`${e.end}T00:00:00Z`);
    const inside = Math.min(end, to) - Math.max(start, from);
    if (inside > 0 && end > start) best = Math.max(best, inside / (end - start));
  }
  return best;
}

/**
 * A short label of an event range for people: the day (2023-09-10), "week of 2023-09-04", the month
 * (2023-09), the year (2023), or first..last day of another range (2023-09-16..2023-09-17).
 */
export function eventLabel(e: EventTime): string {
  if (e.granularity === 'day') return e.start;
  if (e.granularity === 'week') return `week of ${e.start}`;
  if (e.granularity === 'month') return e.start.slice(0, 7);
  if (e.granularity === 'year') return e.start.slice(0, 4);
  const last = new Date(Date.parse(`${e.end}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
  return last === e.start ? e.start : `${e.start}..${last}`;
}

/** "happened …" for a list of event ranges, or '' when there are none. */
export function happenedLabel(events: readonly EventTime[]): string {
  return events.length === 0 ? '' : `happened ${[...new Set(events.map(eventLabel))].join(', ')}`;
}
