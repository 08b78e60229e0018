/**
 * Event times of stored memories, for retrieval: resolved from a memory's text and the time it was said
 * (src/text/time/events.ts), kept in a bounded cache because the same turns come back query after query.
 * Resolution is pure, so a cached answer is always the right one for the same text and time.
 */
import type { Memory } from '../core/types.js';
import type { EventTimeIndexer, ScopeFilter, ScoredId } from '../store/types.js';
import { EVENT_RULES_VERSION, type EventTime, eventOverlap, resolveEventTimes } from '../text/time/events.js';
import { inRanges, type QueryTimeRange } from './query-plan.js';

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

/**
 * What a store keeps of each memory's event times and indexes (src/store/types.ts): the same ranges this
 * module derives on read, so stored and displayed event times never disagree.
 */
export function createEventTimeIndexer(version = EVENT_RULES_VERSION): EventTimeIndexer {
  return {
    version,
    events: (m) =>
      memoryEventTimes(m).map((e) => ({ start: e.start, end: e.end, granularity: e.granularity })),
  };
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

/** Names of the event-window lists in a store search request (one per queried range). */
export const EVENT_LIST = 'eventWindow:';
const DAY_MS = 86_400_000;
/** Words that carry a relative time; a memory holding one may have an event time other than its said time. */
const TIME_CUES =
  'yesterday today tonight tomorrow weekend week month year ago last next before ' +
  'monday tuesday wednesday thursday friday saturday sunday ' +
  '昨天 前天 今天 明天 后天 上周 下周 周末 星期 礼拜 上个月 下个月 去年 前年 月 号';
const cueTerms = new WeakMap<(text: string) => string[], string[]>();

/** The query analyzer's terms for the time cue words, worked out once per analyzer. */
export function timeCueTerms(analyzeQuery: (text: string) => string[]): string[] {
  let cues = cueTerms.get(analyzeQuery);
  if (!cues) {
    cues = analyzeQuery(TIME_CUES);
    cueTerms.set(analyzeQuery, cues);
  }
  return cues;
}

/** The scope narrowed to the said-times around each range (`days` each side), within the scope's bounds. */
export function eventWindowFilters(
  filter: ScopeFilter,
  ranges: readonly QueryTimeRange[],
  days: number,
): ScopeFilter[] {
  const out: ScopeFilter[] = [];
  for (const r of ranges) {
    let from = new Date(r.start - days * DAY_MS).toISOString();
    let to = new Date(r.end + days * DAY_MS).toISOString();
    if (filter.occurredFrom !== undefined && filter.occurredFrom > from) from = filter.occurredFrom;
    if (filter.occurredTo !== undefined && filter.occurredTo < to) to = filter.occurredTo;
    if (from < to) out.push({ ...filter, occurredFrom: from, occurredTo: to });
  }
  return out;
}

/** Names of the event-index lists in a store search request (one per queried range). */
export const EVENT_INDEX = 'eventIndex:';
/**
 * A memory found only by its stored event time matched none of the query's words: it counts as this share of
 * the weakest word match among the others, so that it ranks below every memory that also matches words.
 */
const INDEX_ONLY_SHARE = 0.5;

/**
 * Of the memories found around the ranges (BM25 over the query's terms plus time cue words) and those the
 * store's event index found in them, the ones said outside the ranges whose event time lies inside one,
 * scored by their word match (window BM25, else the plain BM25 list's, else INDEX_ONLY_SHARE of the weakest)
 * times the overlap.
 */
export function eventTimeHits(
  hits: readonly ScoredId[],
  memories: ReadonlyMap<string, Memory>,
  ranges: readonly QueryTimeRange[],
  more: { indexed: readonly ScoredId[]; bm25: readonly ScoredId[] } = { indexed: [], bm25: [] },
): ScoredId[] {
  const words = new Map<string, number>();
  for (const h of more.bm25) words.set(h.id, h.score);
  for (const h of hits) words.set(h.id, Math.max(words.get(h.id) ?? 0, h.score));
  const ids = [...new Set([...hits, ...more.indexed].map((h) => h.id))];
  const matched: { id: string; overlap: number; words: number | undefined }[] = [];
  for (const id of ids) {
    const m = memories.get(id);
    // Memories said inside a range are the time-range list's; this list is for the ones said elsewhere.
    if (!m || inRanges(ranges, Date.parse(m.occurredAt))) continue;
    const match = eventMatch(m, ranges);
    if (match) matched.push({ id, overlap: match.overlap, words: words.get(id) });
  }
  const known = matched.flatMap((x) => (x.words !== undefined && x.words > 0 ? [x.words] : []));
  const floor = (known.length > 0 ? Math.min(...known) : 1) * INDEX_ONLY_SHARE;
  return matched
    .map((x) => ({ id: x.id, score: (x.words !== undefined && x.words > 0 ? x.words : floor) * x.overlap }))
    .sort((a, b) => b.score - a.score);
}
