/**
 * Month and weekday names (English and Chinese) with the canonical index term each maps to, so "Jan",
 * "January", "1月" and "一月" all become the term `january`, and "Sat"/"Saturday"/"周六" become `saturday`.
 * Shared by the analyzer (index terms) and the time-expression parser.
 */

export const MONTH_TERMS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

export const WEEKDAY_TERMS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;

/** English month words → month number 1..12. Includes abbreviations; see AMBIGUOUS_CALENDAR_WORDS. */
export const ENGLISH_MONTHS: ReadonlyMap<string, number> = new Map([
  ['january', 1],
  ['jan', 1],
  ['february', 2],
  ['feb', 2],
  ['march', 3],
  ['mar', 3],
  ['april', 4],
  ['apr', 4],
  ['may', 5],
  ['june', 6],
  ['jun', 6],
  ['july', 7],
  ['jul', 7],
  ['august', 8],
  ['aug', 8],
  ['september', 9],
  ['sep', 9],
  ['sept', 9],
  ['october', 10],
  ['oct', 10],
  ['november', 11],
  ['nov', 11],
  ['december', 12],
  ['dec', 12],
]);

/** English weekday words → 0 (Sunday) .. 6 (Saturday), like Date#getUTCDay. Plurals included. */
export const ENGLISH_WEEKDAYS: ReadonlyMap<string, number> = new Map([
  ['sunday', 0],
  ['sundays', 0],
  ['sun', 0],
  ['monday', 1],
  ['mondays', 1],
  ['mon', 1],
  ['tuesday', 2],
  ['tuesdays', 2],
  ['tue', 2],
  ['tues', 2],
  ['wednesday', 3],
  ['wednesdays', 3],
  ['wed', 3],
  ['thursday', 4],
  ['thursdays', 4],
  ['thu', 4],
  ['thur', 4],
  ['thurs', 4],
  ['friday', 5],
  ['fridays', 5],
  ['fri', 5],
  ['saturday', 6],
  ['saturdays', 6],
  ['sat', 6],
]);

/**
 * Words that are calendar words only in a date context: "may" (modal verb), "march" (verb), "august"
 * (adjective), "sun", "sat", "wed", "mon" (common words), "jan", "jun" (names), "mar" (verb).
 */
export const AMBIGUOUS_CALENDAR_WORDS: ReadonlySet<string> = new Set([
  'may',
  'march',
  'august',
  'mar',
  'jan',
  'jun',
  'sun',
  'sat',
  'wed',
  'mon',
]);

/** Ambiguous words that still count as calendar words when written capitalised ("in May", "March 3"). */
export const CAPITALISED_CALENDAR_WORDS: ReadonlySet<string> = new Set(['may', 'march', 'august']);

/** Words that, right before an ambiguous calendar word, make it a date ("in may", "early march"). */
export const DATE_CONTEXT_WORDS: ReadonlySet<string> = new Set([
  'in',
  'of',
  'since',
  'until',
  'till',
  'by',
  'early',
  'late',
  'mid',
  'last',
  'this',
  'next',
  'during',
  'from',
  'through',
  'before',
  'after',
  'on',
]);

const CJK_DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/**
 * Parses a Chinese or Arabic numeral up to 99 ("七", "十二", "二十三", "两", "12"); digit-by-digit years
 * ("二〇二三") are parsed by place value. Returns NaN when the text is not a numeral.
 */
export function parseChineseNumber(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  if (!text) return Number.NaN;
  if (!text.includes('十')) {
    let value = 0;
    for (const ch of text) {
      const digit = CJK_DIGITS[ch];
      if (digit === undefined) return Number.NaN;
      value = value * 10 + digit;
    }
    return value;
  }
  const [tensText, onesText] = text.split('十');
  const tens = tensText === '' ? 1 : CJK_DIGITS[tensText];
  const ones = onesText === '' ? 0 : CJK_DIGITS[onesText];
  if (tens === undefined || ones === undefined || text.split('十').length > 2) return Number.NaN;
  return tens * 10 + ones;
}

/** Chinese weekday suffixes after 周/星期/礼拜: 一..六, 日/天 → 0..6 like Date#getUTCDay. */
export const CHINESE_WEEKDAY_SUFFIX: Record<string, number> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  日: 0,
  天: 0,
};
