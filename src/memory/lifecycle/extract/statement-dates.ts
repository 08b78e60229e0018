import { EXPLICIT_PAST, isFutureStatement } from '../../../text/time/events.js';
import { parseTimeExpressions } from '../../../text/time.js';

/**
 * Resolves the time expressions of a *statement* against the moment it was said: "last Saturday" said on
 * Thursday 2023-05-25 is 2023-05-20; 「上周六」 the same. The text analyzer's parser does the calendar work;
 * this module adds what a statement needs beyond a query: plans point forward ("I'll run a marathon in
 * October", said in May, is next October, where a query "in October" means the last one), "in three days"
 * is a date, and each date is rewritten absolutely in the statement's language so a fact can carry it.
 */
export type DateGranularity = 'day' | 'week' | 'month' | 'year' | 'range';

export interface StatementDate {
  /** The words as written ("last Saturday", 上周六). */
  expression: string;
  /** Offset of the expression in the text. */
  index: number;
  /** ISO calendar date of the start of what is meant (YYYY-MM-DD). */
  date: string;
  granularity: DateGranularity;
  /** The expression rewritten absolutely, in the statement's language ("on 20 May 2023", 2023年5月20日). */
  absolute: string;
}

const DAY_MS = 86_400_000;
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  couple: 2,
  few: 3,
};

function describe(d: Date, granularity: DateGranularity, language: 'en' | 'zh', expression: string): string {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  const since = /^since\s/i.test(expression) || /^自从|以来$/.test(expression);
  if (language === 'zh') {
    const text =
      granularity === 'year'
        ? `${y}年`
        : granularity === 'month'
          ? `${y}年${m + 1}月`
          : `${y}年${m + 1}月${day}日`;
    if (since) return `自${text}以来`;
    return granularity === 'week' ? `${text}那一周` : granularity === 'range' ? `${text}起` : text;
  }
  const bare =
    granularity === 'year'
      ? `${y}`
      : granularity === 'month'
        ? `${MONTH_NAMES[m]} ${y}`
        : `${day} ${MONTH_NAMES[m]} ${y}`;
  if (since) return `since ${bare}`;
  if (granularity === 'week') return `in the week of ${bare}`;
  if (granularity === 'range')
    return /weekend/i.test(expression) ? `on the weekend of ${bare}` : `from ${bare}`;
  // A written-out date keeps its own preposition or none ("20 May" → "20 May 2023").
  if (/\d/.test(expression) && !/\bago\b/i.test(expression) && !/^(on|in)\s/i.test(expression)) return bare;
  return `${granularity === 'day' ? 'on' : 'in'} ${bare}`;
}

export { isFutureStatement } from '../../../text/time/events.js';

/** "in three days", "in 2 weeks": dates a query parser has no use for, but a plan does. */
const IN_N_UNITS = new RegExp(
  `\\bin (\\d+|${Object.keys(NUMBER_WORDS).join('|')}) (days?|weeks?|months?)(?: time)?\\b`,
  'gi',
);

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * Every time expression in `text` resolved against `said`, in text order, with plans moved forward: a
 * bare month or weekday in a future statement that the parser placed before `said` means the next one.
 */
export function resolveStatementDates(
  text: string,
  said: Date,
  language: 'en' | 'zh',
  future = isFutureStatement(text),
): StatementDate[] {
  const today = Date.UTC(said.getUTCFullYear(), said.getUTCMonth(), said.getUTCDate());
  const out: StatementDate[] = [];
  for (const e of parseTimeExpressions(text, said)) {
    // A bare season is description ("the warm summer breeze"), and a vague span ("recently", "these days",
    // 最近) names no date a fact could carry; weekends and "since …" do.
    if (/^(?:spring|summer|autumn|fall|winter)$/i.test(e.text.trim())) continue;
    if (e.granularity === 'range' && !/\d|weekend|since|周末|以来|自从/i.test(e.text)) continue;
    let start = e.start;
    const granularity = e.granularity as DateGranularity;
    if (future && e.end.getTime() <= today && !EXPLICIT_PAST.test(e.text)) {
      if (granularity === 'month')
        start = new Date(Date.UTC(start.getUTCFullYear() + 1, start.getUTCMonth(), 1));
      else if (granularity === 'day') start = new Date(start.getTime() + 7 * DAY_MS);
    }
    out.push({
      expression: e.text,
      index: e.index,
      date: isoDay(start),
      granularity,
      absolute: describe(start, granularity, language, e.text),
    });
  }
  if (language === 'en') {
    for (const m of text.matchAll(IN_N_UNITS)) {
      if (out.some((d) => m.index < d.index + d.expression.length && d.index < m.index + m[0].length))
        continue;
      const n = NUMBER_WORDS[m[1]!.toLowerCase()] ?? Number(m[1]);
      const unit = m[2]!.toLowerCase().replace(/s$/, '');
      const date =
        unit === 'month'
          ? new Date(Date.UTC(said.getUTCFullYear(), said.getUTCMonth() + n, 1))
          : new Date(today + n * (unit === 'week' ? 7 : 1) * DAY_MS);
      const granularity: DateGranularity = unit === 'month' ? 'month' : 'day';
      out.push({
        expression: m[0],
        index: m.index,
        date: isoDay(date),
        granularity,
        absolute: describe(date, granularity, language, m[0]),
      });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** The text with each resolved expression replaced by its absolute form. */
export function absolutize(text: string, dates: StatementDate[]): string {
  let out = '';
  let at = 0;
  for (const d of dates) {
    out += text.slice(at, d.index) + d.absolute;
    at = d.index + d.expression.length;
  }
  return out + text.slice(at);
}
