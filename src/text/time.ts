/**
 * Time expressions in English and Chinese, resolved to ranges of whole days relative to a reference time:
 * "yesterday", "last week", "in May 2023", "two weeks ago", 昨天, 上周六, 去年五月 …
 *
 * Used on the query side ("what did I do last weekend?" filters or boosts by `occurredAt`) and by fact
 * extraction ("last Saturday", said on 2023-05-25, happened on 2023-05-20). Days, weeks (Monday–Sunday),
 * months and years are calendar ranges in UTC unless a UTC offset or IANA time zone is given.
 * See docs/text-analysis.md for the full table.
 */
import { EngramError, ErrorCodes } from '../core/errors.js';
import {
  type CalendarContext,
  contextFor,
  type DaySpan,
  dayStart,
  rangeSpan,
  type TimeGranularity,
} from './time/calendar.js';
import { CHINESE_RULES } from './time/chinese.js';
import { ENGLISH_RULES } from './time/english.js';
import type { TimeRule } from './time/rule.js';

export type { TimeGranularity } from './time/calendar.js';

export interface TimeExpression {
  /** The matched text as written. */
  text: string;
  /** First instant of the range. */
  start: Date;
  /** First instant after the range (exclusive). */
  end: Date;
  granularity: TimeGranularity;
  /** Offset of `text` in the input string. */
  index: number;
}

export interface TimeOptions {
  /**
   * Offset of the user's local time from UTC in minutes (China: 480, New York in winter: -300), so that
   * "yesterday" and "May" are local calendar days. Default 0 (UTC).
   */
  utcOffsetMinutes?: number;
  /**
   * IANA time zone ("Asia/Shanghai"); its UTC offset at `now` is used for the whole computation (a DST
   * change inside a long range shifts that range's far end by an hour). Ignored when `utcOffsetMinutes`
   * is given.
   */
  timeZone?: string;
}

const RULES: TimeRule[] = [...ENGLISH_RULES, ...CHINESE_RULES];

/** Full-width ASCII (Ｍａｙ ２０２３) to ASCII, one character for one, so match offsets stay valid. */
function foldFullWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\u2018\u2019]/g, "'");
}

function offsetFor(now: Date, options: TimeOptions): number {
  if (options.utcOffsetMinutes !== undefined) {
    if (!Number.isFinite(options.utcOffsetMinutes) || Math.abs(options.utcOffsetMinutes) > 18 * 60) {
      throw new EngramError(
        ErrorCodes.INVALID_INPUT,
        `utcOffsetMinutes must be a number of minutes between -1080 and 1080, got ${options.utcOffsetMinutes}`,
      );
    }
    return options.utcOffsetMinutes;
  }
  if (!options.timeZone) return 0;
  let name: string | undefined;
  try {
    name = new Intl.DateTimeFormat('en-US', { timeZone: options.timeZone, timeZoneName: 'longOffset' })
      .formatToParts(now)
      .find((p) => p.type === 'timeZoneName')?.value;
  } catch (e) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `Unknown time zone "${options.timeZone}"; use an IANA name such as "Europe/Berlin" or utcOffsetMinutes`,
      undefined,
      { cause: e },
    );
  }
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function checkNow(now: Date): void {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new EngramError(ErrorCodes.INVALID_DATE, 'The reference time `now` must be a valid Date');
  }
}

interface Candidate {
  index: number;
  length: number;
  span: DaySpan;
}

function candidates(text: string, ctx: CalendarContext): Candidate[] {
  const found: Candidate[] = [];
  for (const rule of RULES) {
    // A rule's span depends only on the matched text and the calendar (no pattern looks around its match),
    // so a repeated expression is resolved once: a 4,000-character query of the same date words spent most
    // of its 20-40 ms planning in repeated calendar arithmetic.
    const resolved = new Map<string, DaySpan | null>();
    for (const m of text.matchAll(rule.pattern)) {
      if (m[0].length === 0) continue;
      let span = resolved.get(m[0]);
      if (span === undefined) {
        span = rule.resolve(m, ctx);
        resolved.set(m[0], span);
      }
      if (span && span.endDay > span.startDay) found.push({ index: m.index, length: m[0].length, span });
    }
  }
  return found;
}

/**
 * Longest matches first, then leftmost; a match overlapping an already chosen one is dropped. A mark per
 * character keeps this linear in the text (a query of 2,000 date words has 2,000 candidates).
 */
function selectNonOverlapping(found: Candidate[], textLength: number): Candidate[] {
  const sorted = [...found].sort((a, b) => b.length - a.length || a.index - b.index);
  const taken = new Uint8Array(textLength + 1);
  const chosen: Candidate[] = [];
  for (const c of sorted) {
    let free = true;
    for (let i = c.index; i < c.index + c.length && free; i++) free = taken[i] === 0;
    if (!free) continue;
    taken.fill(1, c.index, c.index + c.length);
    chosen.push(c);
  }
  return chosen.sort((a, b) => a.index - b.index);
}

const SINCE_BEFORE = /\bsince\s+$/i;
const SINCE_START = /^since\s/i;

/** "since May": from the start of the expression up to and including today. */
function applySince(c: Candidate, text: string, ctx: CalendarContext): Candidate {
  if (SINCE_START.test(text.slice(c.index, c.index + c.length))) {
    return { ...c, span: rangeSpan(c.span.startDay, Math.max(c.span.endDay, ctx.today + 1)) };
  }
  const before = SINCE_BEFORE.exec(text.slice(Math.max(0, c.index - 12), c.index));
  if (!before) return c;
  const extra = before[0].length;
  return {
    index: c.index - extra,
    length: c.length + extra,
    span: rangeSpan(c.span.startDay, Math.max(c.span.endDay, ctx.today + 1)),
  };
}

/**
 * Every time expression in `text`, resolved against `now`, in text order.
 *
 * @example parseTimeExpressions('what did we do last weekend?', new Date('2023-05-25T12:00:00Z'))
 *   // → [{ text: 'last weekend', start: 2023-05-20T00:00Z, end: 2023-05-22T00:00Z, granularity: 'range', index: 15 }]
 */
export function parseTimeExpressions(text: string, now: Date, options: TimeOptions = {}): TimeExpression[] {
  checkNow(now);
  if (!text) return [];
  const offset = offsetFor(now, options);
  const ctx = contextFor(now, offset);
  const folded = foldFullWidth(text);
  return selectNonOverlapping(candidates(folded, ctx), folded.length).map((c) => {
    const { index, length, span } = applySince(c, folded, ctx);
    return {
      text: text.slice(index, index + length),
      start: dayStart(span.startDay, offset),
      end: dayStart(span.endDay, offset),
      granularity: span.granularity,
      index,
    };
  });
}

/**
 * Resolves one relative expression against the time it was said: "last Saturday" said on 2023-05-25
 * (a Thursday) → the day 2023-05-20. Returns the first expression found in `expression`, or null.
 */
export function resolveRelativeDate(
  expression: string,
  said: Date,
  options: TimeOptions = {},
): TimeExpression | null {
  return parseTimeExpressions(expression, said, options)[0] ?? null;
}

const WHEN_QUESTION = new RegExp(
  [
    '^\\s*(?:(?:and|so|but|ok|okay|hey)[\\s,]+)?when\\b',
    '\\bwhen\\s+(?:did|do|does|was|were|is|are|will|would|has|have|had|can|could|should)\\b',
    '\\b(?:what|which)\\s+(?:date|day|year|month|time|week|weekend|season|decade)\\b',
    '\\bhow\\s+long\\s+ago\\b',
    '\\bhow\\s+many\\s+(?:days|weeks|months|years)\\s+ago\\b',
    '\\bsince\\s+when\\b',
    '什么时候|什么时间|哪天|哪一天|哪年|哪一年|哪个月|哪一个月|几月|几号|几点|何时|多久以前|多久前|星期几|周几|礼拜几|哪个星期|哪一周|哪周',
  ].join('|'),
  'i',
);

/** Whether a question asks for a time: "When did …", "what year …", "how long ago …", 什么时候, 哪一年, 几月. */
export function isWhenQuestion(text: string): boolean {
  return WHEN_QUESTION.test(text);
}

/** Cheap pre-check: text without any of these cannot contain a date the rules would find. */
const DATE_HINT =
  /\d|day|week|month|year|ago|night|tonight|tomorrow|recent|lately|spring|summer|autumn|fall|winter|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|[年月日号天周星期礼拜昨今明最近春夏秋冬]/i;

/** Habitual or bare calendar words the range parser deliberately skips but that still date a statement. */
const DATE_WORDS = /\b(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|weekends?|ago)\b/i;

const MENTION_REFERENCE = new Date(Date.UTC(2000, 0, 15));
const MENTION_CACHE_LIMIT = 20_000;
const mentionCache = new Map<string, boolean>();

/**
 * Whether a text states or implies a date or time (explicit dates, months, years, weekdays, "yesterday",
 * "last week", "ago", 昨天, 去年 …): "when" questions favour memories for which this is true.
 */
export function mentionsDate(text: string): boolean {
  if (!DATE_HINT.test(text)) return false;
  let mentions = mentionCache.get(text);
  if (mentions === undefined) {
    mentions = DATE_WORDS.test(text) || parseTimeExpressions(text, MENTION_REFERENCE).length > 0;
    // Retrieval asks this of the same stored turns query after query; a bounded cache makes repeats free.
    if (mentionCache.size >= MENTION_CACHE_LIMIT) mentionCache.clear();
    mentionCache.set(text, mentions);
  }
  return mentions;
}
