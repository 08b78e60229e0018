/**
 * English time expressions. Each rule is a regex plus a resolver; the parser runs them all and keeps the
 * longest non-overlapping matches, so "the day before yesterday" wins over "yesterday" and "May 7, 2023"
 * over "May". Expressions without a year are past-biased: "May 7" said in January means last May.
 */
import {
  AMBIGUOUS_CALENDAR_WORDS,
  CAPITALISED_CALENDAR_WORDS,
  ENGLISH_MONTHS,
  ENGLISH_WEEKDAYS,
} from '../calendar-words.js';
import {
  agoSpan,
  type CalendarContext,
  type DaySpan,
  dayOf,
  daySpan,
  fewAgoSpan,
  isValidDate,
  mondayOf,
  monthSpan,
  nextWeekday,
  type Part,
  partOfMonth,
  partOfYear,
  pastBiasedYear,
  pastSpan,
  previousWeekday,
  rangeSpan,
  recentSpan,
  relativeSeasonSpan,
  type Season,
  seasonSpan,
  type Unit,
  weekendSpan,
  weekSpan,
  yearSpan,
} from './calendar.js';
import type { TimeRule } from './rule.js';

const MONTHS =
  'january|february|march|april|may|june|july|august|september|october|november|december|' +
  'jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec';
/** Full names plus abbreviations that are not everyday words (mon, wed, sat, sun are left out). */
const WEEKDAYS = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|tue|thurs|thur|thu|fri';
const NUMBER_WORDS = [
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
];
const VAGUE = /^(?:a few|few|several|some|a couple of|a couple|couple of)$/i;
const COUNT = `\\d{1,3}|an?|${NUMBER_WORDS.join('|')}|a couple of|a couple|couple of|a few|few|several`;
const PARTS =
  'early|mid|middle of|late|end of|the end of|beginning of|the beginning of|start of|the start of';
const YEAR = '(?:19|20)\\d{2}';

/** A count word or digits → number; vague words ("a few", "several") → NaN. "A couple" counts as 2. */
function parseCount(text: string): number {
  const lower = text.toLowerCase();
  if (/^\d+$/.test(lower)) return Number(lower);
  if (lower === 'a' || lower === 'an') return 1;
  if (/couple/.test(lower)) return 2;
  if (VAGUE.test(lower)) return Number.NaN;
  const index = NUMBER_WORDS.indexOf(lower);
  return index >= 0 ? index + 1 : Number.NaN;
}

function unitOf(text: string): Unit {
  return text.toLowerCase().replace(/s$/, '') as Unit;
}

function monthNumber(word: string): number {
  return ENGLISH_MONTHS.get(word.toLowerCase().replace(/\.$/, '')) ?? Number.NaN;
}

function partOf(text: string): Part {
  const lower = text.toLowerCase();
  if (lower === 'early' || lower.includes('beginning') || lower.includes('start')) return 'early';
  if (lower.startsWith('mid')) return 'mid';
  return 'late';
}

function yearOf(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  return text.length === 2 ? 2000 + n : n;
}

function dateSpan(year: number, month: number, day: number): DaySpan | null {
  return isValidDate(year, month, day) ? daySpan(dayOf(year, month, day)) : null;
}

/** Month name + day with optional year, year past-biased when missing. */
function monthDay(
  ctx: CalendarContext,
  monthWord: string,
  dayText: string,
  yearText?: string,
): DaySpan | null {
  const month = monthNumber(monthWord);
  const day = Number(dayText);
  const year = yearText ? Number(yearText) : pastBiasedYear(ctx, month, day);
  return dateSpan(year, month, day);
}

/** Whether a bare month word (no day or year next to it) is meant as a month. */
function isBareMonth(word: string, prefix: string | undefined): boolean {
  const lower = word.toLowerCase();
  if (!AMBIGUOUS_CALENDAR_WORDS.has(lower) || prefix) return true;
  return CAPITALISED_CALENDAR_WORDS.has(lower) && word[0] !== lower[0];
}

const SEASONS: Record<string, Season> = {
  spring: 'spring',
  summer: 'summer',
  autumn: 'autumn',
  fall: 'autumn',
  winter: 'winter',
};

function rx(source: string): RegExp {
  return new RegExp(source, 'gi');
}

export const ENGLISH_RULES: TimeRule[] = [
  {
    // 2023-05-07, 2023/05/07, 2023.05.07 (also the date part of an ISO timestamp)
    pattern: rx(`\\b(${YEAR})[-/.](\\d{1,2})[-/.](\\d{1,2})(?!\\d)`),
    resolve: (m) => dateSpan(Number(m[1]), Number(m[2]), Number(m[3])),
  },
  {
    // 2023-05
    pattern: rx(`\\b(${YEAR})-(\\d{1,2})(?![\\d-])`),
    resolve: (m) => {
      const month = Number(m[2]);
      return month >= 1 && month <= 12 ? monthSpan(Number(m[1]), month) : null;
    },
  },
  {
    // 5/7/2023, 5/7/23 — US order (month first)
    pattern: rx('\\b(\\d{1,2})/(\\d{1,2})/(\\d{4}|\\d{2})\\b'),
    resolve: (m) => dateSpan(yearOf(m[3], 0), Number(m[1]), Number(m[2])),
  },
  {
    // 4/27, 12/3: month/day without a year (US order, as 4/27 is read in Chinese too), the most recent such
    // day not after today; not a fraction or a score ("1/2 cup", "3/5 of them", "24/7").
    pattern: rx(
      '(?<![\\d/.,$€£¥])\\b(\\d{1,2})/(\\d{1,2})\\b(?![/.,]?\\d|\\s*(?:of|cups?|tsp|tbsp|teaspoons?|tablespoons?|inch(?:es)?|miles?|mi|km|points?|stars?|pts)\\b|%)',
    ),
    resolve: (m, ctx) => {
      const month = Number(m[1]);
      const day = Number(m[2]);
      if (!isValidDate(2000, month, day)) return null;
      return dateSpan(pastBiasedYear(ctx, month, day), month, day);
    },
  },
  {
    // May 7, May 7th 2023, Sunday, May 7, 2023, May the 7th
    pattern: rx(
      `\\b(?:on\\s+)?(?:(?:${WEEKDAYS}),?\\s+)?(${MONTHS})\\.?\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(${YEAR})\\b)?`,
    ),
    resolve: (m, ctx) => monthDay(ctx, m[1], m[2], m[3]),
  },
  {
    // 7 May 2023, the 7th of May, Sunday 7 May
    pattern: rx(
      `\\b(?:on\\s+)?(?:(?:${WEEKDAYS}),?\\s+)?(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTHS})\\b\\.?(?:,?\\s+(${YEAR})\\b)?`,
    ),
    resolve: (m, ctx) => monthDay(ctx, m[2], m[1], m[3]),
  },
  {
    // on the 15th: that day of this month, or of last month if it has not come yet (a bare "the 15th" is
    // often a rank or a century, so the "on" is required)
    pattern: rx(
      '\\bon\\s+the\\s+(\\d{1,2})(?:st|nd|rd|th)\\b(?!\\s+(?:of\\s+)?(?:century|floor|place|time|anniversary|birthday|row|grade)\\b)',
    ),
    resolve: (m, ctx) => {
      const day = Number(m[1]);
      const month = day <= ctx.day ? ctx.month : ctx.month - 1;
      const first = new Date(Date.UTC(ctx.year, month - 1, 1));
      return dateSpan(first.getUTCFullYear(), first.getUTCMonth() + 1, day);
    },
  },
  {
    // May 2023, in May of 2023
    pattern: rx(`\\b(?:(?:in|during)\\s+)?(${MONTHS})\\.?,?\\s+(?:of\\s+)?(${YEAR})\\b`),
    resolve: (m) => monthSpan(Number(m[2]), monthNumber(m[1])),
  },
  {
    // early May, mid-May 2023, the end of March
    pattern: rx(`\\b(${PARTS})[\\s-]+(?:in\\s+)?(${MONTHS})\\b\\.?(?:,?\\s+(${YEAR})\\b)?`),
    resolve: (m, ctx) => {
      const month = monthNumber(m[2]);
      const year = m[3] ? Number(m[3]) : pastBiasedYear(ctx, month);
      return partOfMonth(year, month, partOf(m[1]));
    },
  },
  {
    // early 2023, the end of 2022
    pattern: rx(`\\b(${PARTS})[\\s-]+(${YEAR})\\b`),
    resolve: (m) => partOfYear(Number(m[2]), partOf(m[1])),
  },
  {
    // (in|last|this|next) May — a bare "may"/"march" needs a preposition or a capital ("May I" is not a date)
    pattern: rx(
      `\\b(?:(in|during|since|until|till|by|of|last|this|next)\\s+(${MONTHS})\\b|(${MONTHS})\\b(?!\\s+(?:i|we|you|he|she|they|it)\\b))`,
    ),
    resolve: (m, ctx) => {
      const word = m[2] ?? m[3];
      if (!isBareMonth(word, m[1])) return null;
      const month = monthNumber(word);
      const which = m[1]?.toLowerCase();
      if (which === 'last') return monthSpan(month < ctx.month ? ctx.year : ctx.year - 1, month);
      if (which === 'this') return monthSpan(ctx.year, month);
      if (which === 'next') return monthSpan(month > ctx.month ? ctx.year : ctx.year + 1, month);
      return monthSpan(pastBiasedYear(ctx, month), month);
    },
  },
  {
    // in 2022, 2022 — not an amount ("$2000", "2000 steps")
    pattern: rx(
      `(?<![$€£¥#\\d.,])\\b(?:(?:in|during|since|by|from|until|before|after|around|of|the year)\\s+)?(${YEAR})\\b` +
        '(?![.,]\\d|\\s*(?:%|dollars?|bucks|usd|euros?|pounds?|people|persons|km|miles?|meters?|metres?|' +
        'calories|steps|words|points|times|kg|lbs?|feet|ft|pages|followers|views|likes|members|students|units)\\b)',
    ),
    resolve: (m) => yearSpan(Number(m[1])),
  },
  {
    // last summer, the summer of 2022, in the fall, winter 2021
    pattern: rx(
      `\\b(?:(last|this|next|the|in the|during the|in|early|late)\\s+)?(spring|summer|autumn|fall|winter)\\b(?:\\s+(?:of\\s+)?(${YEAR})\\b)?`,
    ),
    resolve: (m, ctx) => {
      const season = SEASONS[m[2].toLowerCase()];
      if (m[3]) return seasonSpan(season, Number(m[3]));
      const which = m[1]?.toLowerCase();
      // "fall" on its own is the verb.
      if (m[2].toLowerCase() === 'fall' && !which) return null;
      if (which === 'last' || which === 'this' || which === 'next')
        return relativeSeasonSpan(ctx, season, which);
      return relativeSeasonSpan(ctx, season, 'past');
    },
  },
  {
    pattern: rx(
      '\\b(the day before yesterday|day before yesterday|the day after tomorrow|day after tomorrow|' +
        'yesterday|today|tonight|tomorrow|last night|this morning|this afternoon|this evening)\\b',
    ),
    resolve: (m, ctx) => {
      const w = m[1].toLowerCase();
      if (w.includes('before yesterday')) return daySpan(ctx.today - 2);
      if (w.includes('after tomorrow')) return daySpan(ctx.today + 2);
      if (w === 'yesterday' || w === 'last night') return daySpan(ctx.today - 1);
      if (w === 'tomorrow') return daySpan(ctx.today + 1);
      return daySpan(ctx.today);
    },
  },
  {
    // last week, this month, next year, the previous weekend, the coming week
    pattern: rx(
      '\\b(last|this|next|the previous|previous|the following|the coming|coming)\\s+(week|month|year|weekend)\\b',
    ),
    resolve: (m, ctx) => {
      const w = m[1].toLowerCase();
      const offset = w === 'this' ? 0 : w === 'last' || w.includes('previous') ? -1 : 1;
      return relativeUnit(ctx, m[2].toLowerCase(), offset);
    },
  },
  {
    // the week before last
    pattern: rx('\\bthe\\s+(week|month|year|weekend)\\s+before\\s+last\\b'),
    resolve: (m, ctx) => relativeUnit(ctx, m[1].toLowerCase(), -2),
  },
  {
    // over the weekend: the weekend in progress, else the one just past
    pattern: rx('\\b(?:(?:over|at|on|during)\\s+)?the\\s+weekend\\b'),
    resolve: (_m, ctx) => weekendSpan(ctx.today, ctx.weekday === 0 || ctx.weekday === 6 ? 0 : -1),
  },
  {
    // the past 3 days, over the last few weeks, in the past month (rolling windows ending today)
    pattern: rx(
      `\\b(?:(?:in|over|during|for|within)\\s+)?(the\\s+)?(last|past)\\s+(?:(${COUNT})\\s+)?(days?|weeks?|months?|years?)\\b`,
    ),
    resolve: (m, ctx) => {
      // "last week" (no article, no count) is the calendar week: another rule handles it.
      if (!m[1] && !m[3] && m[2].toLowerCase() === 'last') return null;
      const unit = unitOf(m[4]);
      let n = m[3] ? parseCount(m[3]) : /s$/i.test(m[4]) ? Number.NaN : 1;
      if (Number.isNaN(n)) n = { day: 7, week: 4, month: 6, year: 5 }[unit];
      return pastSpan(ctx, n, unit);
    },
  },
  {
    // 3 days ago, two weeks ago, a few months ago, a year back
    pattern: rx(`\\b(${COUNT})\\s+(days?|weeks?|months?|years?)\\s+(?:ago|back)\\b`),
    resolve: (m, ctx) => {
      const n = parseCount(m[1]);
      const unit = unitOf(m[2]);
      return Number.isNaN(n) ? fewAgoSpan(ctx, unit) : agoSpan(ctx, n, unit);
    },
  },
  {
    // last Saturday, on Friday, this Tuesday, next Monday (not "on Fridays": a habit, not a date)
    pattern: rx(`\\b(?:(last|this past|past|this coming|this|next|on)\\s+)?(${WEEKDAYS})\\b`),
    resolve: (m, ctx) => {
      const weekday = ENGLISH_WEEKDAYS.get(m[2].toLowerCase()) as number;
      const which = m[1]?.toLowerCase();
      if (which === 'this') return daySpan(mondayOf(ctx.today) + ((weekday + 6) % 7));
      if (which === 'next' || which === 'this coming') return daySpan(nextWeekday(ctx.today, weekday));
      return daySpan(previousWeekday(ctx.today, weekday, which !== undefined && which !== 'on'));
    },
  },
  {
    pattern: rx('\\b(recently|lately|recent|these days|nowadays|not long ago|the other day)\\b'),
    resolve: (m, ctx) =>
      m[1].toLowerCase() === 'the other day' ? rangeSpan(ctx.today - 7, ctx.today) : recentSpan(ctx),
  },
];

function relativeUnit(ctx: CalendarContext, unit: string, offset: number): DaySpan {
  if (unit === 'week') return weekSpan(ctx.today, offset);
  if (unit === 'weekend') return weekendSpan(ctx.today, offset);
  if (unit === 'month') return monthSpan(ctx.year, ctx.month + offset);
  return yearSpan(ctx.year + offset);
}
