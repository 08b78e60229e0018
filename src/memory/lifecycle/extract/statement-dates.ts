import {
  CHINESE_WEEKDAY_SUFFIX,
  ENGLISH_MONTHS,
  ENGLISH_WEEKDAYS,
  parseChineseNumber,
} from '../../../text/calendar-words.js';

/**
 * Resolves the time expressions of a *statement* against the moment it was said: "last Saturday" said on
 * Thursday 2023-05-25 is 2023-05-20; 「上周六」 the same. Unlike query parsing (which yields ranges to
 * search in), a statement needs the one date it refers to, so that the fact can carry it in its text and
 * metadata ("Caroline went to a concert on 20 May 2023").
 *
 * Conventions: all calendar arithmetic is in UTC on the date the turn was said; "last <weekday>" is the
 * most recent such day before today, "this <weekday>" the one in the current week (Monday first), "next
 * <weekday>" the one in the following week; a bare month is the next such month for future statements and
 * the last one for past statements.
 */
export type DateGranularity = 'day' | 'week' | 'month' | 'year';

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
  eleven: 11,
  twelve: 12,
  couple: 2,
  few: 3,
};

function utcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

function addDays(d: Date, n: number): Date {
  return new Date(d.getTime() + n * DAY_MS);
}

function addMonths(d: Date, n: number): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
}

/** Monday of the week containing d. */
function weekStart(d: Date): Date {
  return addDays(d, -((d.getUTCDay() + 6) % 7));
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function describe(d: Date, granularity: DateGranularity, language: 'en' | 'zh', expression: string, absolute: boolean): string {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  if (language === 'zh') {
    if (granularity === 'year') return `${y}年`;
    if (granularity === 'month') return `${y}年${m + 1}月`;
    if (granularity === 'week') return `${y}年${m + 1}月${day}日那一周`;
    return `${y}年${m + 1}月${day}日`;
  }
  const bare =
    granularity === 'year'
      ? `${y}`
      : granularity === 'month'
        ? `${MONTH_NAMES[m]} ${y}`
        : granularity === 'week'
          ? `the week of ${day} ${MONTH_NAMES[m]} ${y}`
          : `${day} ${MONTH_NAMES[m]} ${y}`;
  // Keep the statement's own preposition ("since May" → "since May 2023"); relative words get the natural one.
  const lead = /^(since|by|until|before|after)\s/i.exec(expression);
  if (lead) return `${lead[1]} ${bare}`;
  if (absolute && !/^(on|in)\s/i.test(expression)) return bare;
  return `${granularity === 'day' ? 'on' : 'in'} ${bare}`;
}

function relativeWeekday(today: Date, weekday: number, which: 'last' | 'this' | 'next' | 'bare', future: boolean): Date {
  if (which === 'last') {
    const back = (today.getUTCDay() - weekday + 7) % 7 || 7;
    return addDays(today, -back);
  }
  const monday = weekStart(today);
  const inWeek = addDays(monday, (weekday + 6) % 7);
  if (which === 'this') return inWeek;
  if (which === 'next') return addDays(inWeek, 7);
  // A bare weekday ("on Saturday") points forward in a plan and backward in a report.
  if (future) {
    const ahead = (weekday - today.getUTCDay() + 7) % 7;
    return addDays(today, ahead);
  }
  const back = (today.getUTCDay() - weekday + 7) % 7;
  return addDays(today, -back);
}

function shiftBy(today: Date, amount: number, unit: string): { date: Date; granularity: DateGranularity } {
  const u = unit.replace(/s$/, '');
  if (u === 'day') return { date: addDays(today, amount), granularity: 'day' };
  if (u === 'week') return { date: addDays(today, amount * 7), granularity: 'day' };
  if (u === 'month') {
    const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + amount, 1));
    return { date, granularity: 'month' };
  }
  return { date: new Date(Date.UTC(today.getUTCFullYear() + amount, 0, 1)), granularity: 'year' };
}

/** A verb form that places the statement in the future ("will", "going to", "plan", "turns", 要, 打算 …). */
const FUTURE_EN = /\b(will|'ll|going to|gonna|plan(?:ning)? to|about to|intend|hoping to|turns|is turning|next|upcoming|tomorrow)\b/i;
const FUTURE_ZH = /(要|将|会|打算|计划|准备|明天|后天|下周|下个月|明年)/;

export function isFutureStatement(text: string): boolean {
  return FUTURE_EN.test(text) || FUTURE_ZH.test(text);
}

interface Pattern {
  re: RegExp;
  /** A date written out ("20 May 2023"), not relative to when it was said. */
  absolute?: boolean;
  resolve(m: RegExpExecArray, today: Date, future: boolean): { date: Date; granularity: DateGranularity } | null;
}

const WEEKDAY_ALT = [...ENGLISH_WEEKDAYS.keys()].filter((w) => w.length > 3).join('|');
const MONTH_ALT = [...ENGLISH_MONTHS.keys()].filter((w) => w.length > 3 || w === 'may').join('|');
const NUM_ALT = `\\d+|${Object.keys(NUMBER_WORDS).join('|')}`;

const ENGLISH_PATTERNS: Pattern[] = [
  {
    re: /\bthe day before yesterday\b/gi,
    resolve: (_m, t) => ({ date: addDays(t, -2), granularity: 'day' }),
  },
  { re: /\bthe day after tomorrow\b/gi, resolve: (_m, t) => ({ date: addDays(t, 2), granularity: 'day' }) },
  { re: /\byesterday\b|\blast night\b/gi, resolve: (_m, t) => ({ date: addDays(t, -1), granularity: 'day' }) },
  { re: /\btomorrow\b/gi, resolve: (_m, t) => ({ date: addDays(t, 1), granularity: 'day' }) },
  {
    re: /\b(?:today|tonight|this (?:morning|afternoon|evening))\b/gi,
    resolve: (_m, t) => ({ date: t, granularity: 'day' }),
  },
  {
    re: new RegExp(`\\b(?:(last|this|next|on)\\s+)(${WEEKDAY_ALT})\\b`, 'gi'),
    resolve: (m, t, future) => {
      const weekday = ENGLISH_WEEKDAYS.get(m[2]!.toLowerCase());
      if (weekday === undefined) return null;
      const which = m[1]!.toLowerCase();
      return {
        date: relativeWeekday(t, weekday, which === 'on' ? 'bare' : (which as 'last' | 'this' | 'next'), future),
        granularity: 'day',
      };
    },
  },
  {
    re: /\b(last|this|next) weekend\b/gi,
    resolve: (m, t) => {
      const which = m[1]!.toLowerCase() as 'last' | 'this' | 'next';
      return { date: relativeWeekday(t, 6, which, true), granularity: 'day' };
    },
  },
  {
    re: /\b(last|this|next) (week|month|year)\b/gi,
    resolve: (m, t) => {
      const delta = m[1]!.toLowerCase() === 'last' ? -1 : m[1]!.toLowerCase() === 'next' ? 1 : 0;
      const unit = m[2]!.toLowerCase();
      if (unit === 'week') return { date: addDays(weekStart(t), 7 * delta), granularity: 'week' };
      return shiftBy(t, delta, unit);
    },
  },
  {
    re: new RegExp(`\\b(${NUM_ALT})(?: of)? (days?|weeks?|months?|years?) ago\\b`, 'gi'),
    resolve: (m, t) => {
      const n = NUMBER_WORDS[m[1]!.toLowerCase()] ?? Number(m[1]);
      return Number.isFinite(n) ? shiftBy(t, -n, m[2]!.toLowerCase()) : null;
    },
  },
  {
    re: new RegExp(`\\bin (${NUM_ALT}) (days?|weeks?|months?|years?)(?: time)?\\b`, 'gi'),
    resolve: (m, t) => {
      const n = NUMBER_WORDS[m[1]!.toLowerCase()] ?? Number(m[1]);
      return Number.isFinite(n) ? shiftBy(t, n, m[2]!.toLowerCase()) : null;
    },
  },
  {
    // "on 20 May 2023", "May 20, 2023", "on May 20", "in May 2023", "in May" — case matters for "may".
    absolute: true,
    re: new RegExp(
      `\\b(?:(?:on|in|since|by|until) )?(?:(\\d{1,2})(?:st|nd|rd|th)? (${MONTH_ALT})|(${MONTH_ALT}) (\\d{1,2})(?:st|nd|rd|th)?|(?:in|since|by|until|this|next|last) (${MONTH_ALT}))(?:,? (\\d{4}))?\\b`,
      'gi',
    ),
    resolve: (m, t, future) => {
      const monthWord = (m[2] ?? m[3] ?? m[5])!;
      // "may" is a month only when capitalised.
      if (monthWord.toLowerCase() === 'may' && monthWord !== 'May') return null;
      const month = ENGLISH_MONTHS.get(monthWord.toLowerCase());
      if (month === undefined) return null;
      const day = m[1] ?? m[4];
      let year = m[6] ? Number(m[6]) : t.getUTCFullYear();
      const prefix = m[0].toLowerCase();
      if (!m[6]) {
        const candidate = Date.UTC(year, month - 1, day ? Number(day) : 1);
        const monthStart = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1);
        if (prefix.startsWith('next ') || (future && candidate < (day ? t.getTime() : monthStart))) year++;
        else if (prefix.startsWith('last ') || (!future && candidate > t.getTime())) year--;
      }
      if (day) return { date: new Date(Date.UTC(year, month - 1, Number(day))), granularity: 'day' };
      return { date: new Date(Date.UTC(year, month - 1, 1)), granularity: 'month' };
    },
  },
];

const ZH_NUM = '[0-9〇零一二两三四五六七八九十]+';
const CHINESE_PATTERNS: Pattern[] = [
  { re: /大前天/g, resolve: (_m, t) => ({ date: addDays(t, -3), granularity: 'day' }) },
  { re: /前天/g, resolve: (_m, t) => ({ date: addDays(t, -2), granularity: 'day' }) },
  { re: /昨天|昨晚|昨日/g, resolve: (_m, t) => ({ date: addDays(t, -1), granularity: 'day' }) },
  { re: /今天|今晚|今日/g, resolve: (_m, t) => ({ date: t, granularity: 'day' }) },
  { re: /后天/g, resolve: (_m, t) => ({ date: addDays(t, 2), granularity: 'day' }) },
  { re: /明天|明晚|明日/g, resolve: (_m, t) => ({ date: addDays(t, 1), granularity: 'day' }) },
  {
    re: /(上|这|本|下)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天])/g,
    resolve: (m, t, future) => {
      const weekday = CHINESE_WEEKDAY_SUFFIX[m[2]!];
      if (weekday === undefined) return null;
      const which = m[1] === '上' ? 'last' : m[1] === '下' ? 'next' : m[1] ? 'this' : 'bare';
      // 上周六 is the Saturday of last week, not merely the last Saturday.
      const date =
        which === 'last'
          ? addDays(weekStart(t), -7 + ((weekday + 6) % 7))
          : relativeWeekday(t, weekday, which as 'this' | 'next' | 'bare', future);
      return { date, granularity: 'day' };
    },
  },
  {
    re: /(上|这|本|下)(?:个)?(?:周末)/g,
    resolve: (m, t) => {
      const delta = m[1] === '上' ? -7 : m[1] === '下' ? 7 : 0;
      return { date: addDays(weekStart(t), 5 + delta), granularity: 'day' };
    },
  },
  {
    re: /(上|这|本|下)(?:个)?(周|星期|礼拜|月)(?![一二三四五六日天末])/g,
    resolve: (m, t) => {
      const delta = m[1] === '上' ? -1 : m[1] === '下' ? 1 : 0;
      if (m[2] === '月') return { date: addMonths(t, delta), granularity: 'month' };
      return { date: addDays(weekStart(t), 7 * delta), granularity: 'week' };
    },
  },
  {
    re: new RegExp(`(前年|去年|今年|明年)(?:(${ZH_NUM})月(?:(${ZH_NUM})[日号])?)?`, 'g'),
    resolve: (m, t) => {
      const delta = { 前年: -2, 去年: -1, 今年: 0, 明年: 1 }[m[1]!] ?? 0;
      const year = t.getUTCFullYear() + delta;
      if (!m[2]) return { date: new Date(Date.UTC(year, 0, 1)), granularity: 'year' };
      const month = parseChineseNumber(m[2]);
      if (!(month >= 1 && month <= 12)) return null;
      if (!m[3]) return { date: new Date(Date.UTC(year, month - 1, 1)), granularity: 'month' };
      return { date: new Date(Date.UTC(year, month - 1, parseChineseNumber(m[3]))), granularity: 'day' };
    },
  },
  {
    re: new RegExp(`(${ZH_NUM})(?:个)?(天|周|星期|月|年)(前|后|以前|以后|之前|之后)`, 'g'),
    resolve: (m, t) => {
      const n = parseChineseNumber(m[1]!);
      if (!Number.isFinite(n)) return null;
      const sign = m[3]!.endsWith('前') ? -1 : 1;
      const unit = { 天: 'day', 周: 'week', 星期: 'week', 月: 'month', 年: 'year' }[m[2]!]!;
      return shiftBy(t, sign * n, unit);
    },
  },
  {
    re: new RegExp(`(${ZH_NUM})月(?:(${ZH_NUM})[日号])?`, 'g'),
    resolve: (m, t, future) => {
      const month = parseChineseNumber(m[1]!);
      if (!(month >= 1 && month <= 12)) return null;
      const day = m[2] ? parseChineseNumber(m[2]) : null;
      let year = t.getUTCFullYear();
      const candidate = Date.UTC(year, month - 1, day ?? 1);
      if (future && candidate < Date.UTC(year, t.getUTCMonth(), day ? t.getUTCDate() : 1)) year++;
      else if (!future && candidate > t.getTime()) year--;
      if (day) return { date: new Date(Date.UTC(year, month - 1, day)), granularity: 'day' };
      return { date: new Date(Date.UTC(year, month - 1, 1)), granularity: 'month' };
    },
  },
];

/**
 * Every time expression in `text` resolved against `said`, in text order; overlapping matches keep the
 * first (longest-listed) pattern. Plain absolute dates with a year are included so that facts carry them too.
 */
export function resolveStatementDates(text: string, said: Date, language: 'en' | 'zh'): StatementDate[] {
  const today = utcDay(said);
  const future = isFutureStatement(text);
  const patterns = language === 'zh' ? CHINESE_PATTERNS : ENGLISH_PATTERNS;
  const taken: Array<[number, number]> = [];
  const out: StatementDate[] = [];
  for (const p of patterns) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([s, e]) => start < e && end > s)) continue;
      const r = p.resolve(m, today, future);
      if (!r) continue;
      taken.push([start, end]);
      out.push({
        expression: m[0],
        index: start,
        date: isoDate(r.date),
        granularity: r.granularity,
        absolute: describe(r.date, r.granularity, language, m[0], p.absolute === true),
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
