import { extractNames } from '../text/names.js';
import { isWhenQuestion, parseTimeExpressions } from '../text/time.js';

/** A time range a query names ("last week", "in May 2023", 昨天), as epoch milliseconds [start, end). */
export interface QueryTimeRange {
  text: string;
  start: number;
  end: number;
}

/** What retrieval reads from a query besides its terms, worked out once per search. */
export interface QueryPlan {
  query: string;
  now: Date;
  /** Time ranges named by the query, relative to `now`; overlapping ones merged. */
  ranges: QueryTimeRange[];
  /**
   * Vague ones ("recently", "these days", 最近): the parser gives them the last 30 days, but people stretch
   * them, so they only nudge and never restrict the candidates.
   */
  vagueRanges: QueryTimeRange[];
  /** The query asks for a time ("When did …", 什么时候). */
  asksWhen: boolean;
  /** Proper names in the query, lower case ("caroline"). */
  names: Set<string>;
}

/** At most this many ranges are searched; a query naming more is a list of dates, not a time filter. */
const MAX_RANGES = 3;

const VAGUE =
  /^(?:recently|lately|recent|these days|nowadays|not long ago|最近|近来|近期|近日|这段时间|这阵子)$/i;

export function planQuery(query: string, now: Date): QueryPlan {
  const expressions = parseTimeExpressions(query, now).map((e) => ({
    text: e.text,
    start: e.start.getTime(),
    end: e.end.getTime(),
  }));
  return {
    query,
    now,
    ranges: mergeRanges(expressions.filter((e) => !VAGUE.test(e.text.trim()))).slice(0, MAX_RANGES),
    vagueRanges: mergeRanges(expressions.filter((e) => VAGUE.test(e.text.trim()))),
    asksWhen: isWhenQuestion(query),
    names: new Set(extractNames(query).map((n) => n.toLowerCase())),
  };
}

/** Sorted by start; ranges that overlap or touch become one. */
export function mergeRanges(ranges: QueryTimeRange[]): QueryTimeRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: QueryTimeRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) {
      last.end = Math.max(last.end, r.end);
      last.text = `${last.text}; ${r.text}`;
    } else out.push({ ...r });
  }
  return out;
}

export function inRanges(ranges: readonly QueryTimeRange[], at: number): boolean {
  return ranges.some((r) => at >= r.start && at < r.end);
}
