/**
 * Chinese time expressions: 昨天, 上周六, 去年五月, 2023年5月7日, 三天前, 最近 … Numerals may be Chinese
 * (五, 十二, 两, 二〇二三) or Arabic. Weeks run Monday to Sunday as in Chinese usage, so 上周六 is the
 * Saturday of the previous calendar week. Dates without a year are past-biased, like the English rules.
 */
import { CHINESE_WEEKDAY_SUFFIX, parseChineseNumber } from '../calendar-words.js';
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
  type Part,
  partOfMonth,
  partOfYear,
  pastBiasedYear,
  pastSpan,
  previousWeekday,
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

const NUM = '[〇零一二两三四五六七八九十]{1,3}|\\d{1,2}';
const YEAR = '\\d{4}|[〇零一二三四五六七八九]{4}';
const RELATIVE_YEAR = '大前年|前年|去年|今年|明年|后年';
const MONTH_PART = '初|上旬|中旬|下旬|中|底|末';
const WEEK_PREFIX = '上上|上|本|这|下下|下';

const RELATIVE_YEAR_OFFSET: Record<string, number> = {
  大前年: -3,
  前年: -2,
  去年: -1,
  今年: 0,
  明年: 1,
  后年: 2,
};
const WEEK_OFFSET: Record<string, number> = { 上上: -2, 上: -1, 本: 0, 这: 0, 下: 1, 下下: 2 };
const SEASONS: Record<string, Season> = { 春: 'spring', 夏: 'summer', 秋: 'autumn', 冬: 'winter' };
const RELATIVE_DAYS: Record<string, number> = {
  大前天: -3,
  前天: -2,
  昨天: -1,
  昨日: -1,
  昨晚: -1,
  昨夜: -1,
  今天: 0,
  今日: 0,
  今晚: 0,
  今早: 0,
  明天: 1,
  明日: 1,
  明早: 1,
  明晚: 1,
  后天: 2,
  大后天: 3,
};

function rx(source: string): RegExp {
  return new RegExp(source, 'g');
}

/** An explicit year (2023, 二〇二三) or a relative one (去年); exactly one of the two is set. */
function resolveYear(
  ctx: CalendarContext,
  explicit: string | undefined,
  relative: string | undefined,
): number {
  if (explicit) return parseChineseNumber(explicit);
  if (relative) return ctx.year + RELATIVE_YEAR_OFFSET[relative];
  return Number.NaN;
}

function monthPart(suffix: string): Part {
  if (suffix === '初' || suffix === '上旬') return 'early';
  if (suffix === '中' || suffix === '中旬') return 'mid';
  return 'late';
}

function unitOf(text: string): Unit {
  if (text === '天' || text === '日') return 'day';
  if (text === '月') return 'month';
  if (text === '年') return 'year';
  return 'week';
}

function dateSpan(year: number, month: number, day: number): DaySpan | null {
  return isValidDate(year, month, day) ? daySpan(dayOf(year, month, day)) : null;
}

/** Year + month with an optional day or part (去年五月, 2023年5月7日, 5月初). */
function yearMonth(
  year: number,
  monthText: string,
  part: string | undefined,
  dayText: string | undefined,
): DaySpan | null {
  const month = parseChineseNumber(monthText);
  if (!(month >= 1 && month <= 12) || Number.isNaN(year)) return null;
  if (dayText) return dateSpan(year, month, parseChineseNumber(dayText));
  if (part) return partOfMonth(year, month, monthPart(part));
  return monthSpan(year, month);
}

export const CHINESE_RULES: TimeRule[] = [
  {
    // 2023年5月7日, 去年五月, 今年3月初, 前年十二月份
    pattern: rx(`(?:(${YEAR})年|(${RELATIVE_YEAR}))(${NUM})月份?(${MONTH_PART})?(?:(${NUM})[日号])?`),
    resolve: (m, ctx) => yearMonth(resolveYear(ctx, m[1], m[2]), m[3], m[4], m[5]),
  },
  {
    // 5月7日, 五月初, 12月 (year past-biased); not 三个月 (a duration)
    pattern: rx(`(?<![个\\d])(${NUM})月份?(${MONTH_PART})?(?:(${NUM})[日号])?`),
    resolve: (m, ctx) => {
      const month = parseChineseNumber(m[1]);
      const day = m[3] ? parseChineseNumber(m[3]) : 1;
      return yearMonth(pastBiasedYear(ctx, month, day), m[1], m[2], m[3]);
    },
  },
  {
    // 7号: a day of this month, or of last month if that day has not come yet
    pattern: rx(`(?<![月\\d])(${NUM})号(?![线楼房门床])`),
    resolve: (m, ctx) => {
      const day = parseChineseNumber(m[1]);
      const month = day <= ctx.day ? ctx.month : ctx.month - 1;
      const first = new Date(Date.UTC(ctx.year, month - 1, 1));
      return dateSpan(first.getUTCFullYear(), first.getUTCMonth() + 1, day);
    },
  },
  {
    // 2023年, 去年, 今年初, 去年年底
    pattern: rx(`(?:(${YEAR})年|(${RELATIVE_YEAR}))年?(初|中|底|末)?`),
    resolve: (m, ctx) => {
      const year = resolveYear(ctx, m[1], m[2]);
      if (!m[3]) return m[0].endsWith('年年') ? null : yearSpan(year);
      return partOfYear(year, m[3] === '初' ? 'early' : m[3] === '中' ? 'mid' : 'late');
    },
  },
  {
    // 去年夏天, 2022年的秋天, 夏天
    pattern: rx(`(?:(?:(${YEAR})年|(${RELATIVE_YEAR}))的?)?([春夏秋冬])(?:天|季)`),
    resolve: (m, ctx) => {
      const season = SEASONS[m[3]];
      if (m[1] || m[2]) return seasonSpan(season, resolveYear(ctx, m[1], m[2]));
      return relativeSeasonSpan(ctx, season, 'past');
    },
  },
  {
    // 昨天, 前天, 大前天, 今天, 明天, 后天 (not the 前天 of 以前天气)
    pattern: rx('大前天|前天(?!气)|昨天|昨日|昨晚|昨夜|今天|今日|今晚|今早|明天|明日|明早|明晚|大后天|后天'),
    resolve: (m, ctx) => daySpan(ctx.today + RELATIVE_DAYS[m[0]]),
  },
  {
    // 上周, 这个星期, 下礼拜, 上周六, 本周末 (not 晚上周末: 上 belongs to 晚上)
    pattern: rx(`(?<![晚早])(${WEEK_PREFIX})个?(?:周|星期|礼拜)([一二三四五六日天]|末)?(?!围)`),
    resolve: (m, ctx) => {
      const offset = WEEK_OFFSET[m[1]];
      if (!m[2]) return weekSpan(ctx.today, offset);
      if (m[2] === '末') return weekendSpan(ctx.today, offset);
      const weekday = CHINESE_WEEKDAY_SUFFIX[m[2]];
      return daySpan(mondayOf(ctx.today) + offset * 7 + ((weekday + 6) % 7));
    },
  },
  {
    // 周六, 星期天, 礼拜一: the most recent such day (today included)
    pattern: rx('(?:周|星期|礼拜)([一二三四五六日天])'),
    resolve: (m, ctx) => daySpan(previousWeekday(ctx.today, CHINESE_WEEKDAY_SUFFIX[m[1]], false)),
  },
  {
    // 周末: the weekend in progress, else the one just past
    pattern: rx('周末'),
    resolve: (_m, ctx) => weekendSpan(ctx.today, ctx.weekday === 0 || ctx.weekday === 6 ? 0 : -1),
  },
  {
    // 上个月, 这个月, 本月, 下月, 上上个月
    pattern: rx(`(?<![晚早])(${WEEK_PREFIX})个?月(?![球亮光])`),
    resolve: (m, ctx) => monthSpan(ctx.year, ctx.month + WEEK_OFFSET[m[1]]),
  },
  {
    // 三天前, 两周前, 3个月以前, 几年前, 半年前
    pattern: rx(`(${NUM}|几|半)个?(天|日|周|星期|礼拜|月|年)(?:以前|之前|前)`),
    resolve: (m, ctx) => {
      const unit = unitOf(m[2]);
      if (m[1] === '几') return fewAgoSpan(ctx, unit);
      if (m[1] === '半') {
        if (unit === 'year') return agoSpan(ctx, 6, 'month');
        if (unit === 'month') return weekSpan(ctx.today - 15);
        return null;
      }
      const n = parseChineseNumber(m[1]);
      return Number.isNaN(n) ? null : agoSpan(ctx, n, unit);
    },
  },
  {
    // 前几天, 前些天, 前些日子
    pattern: rx('前几天|前些天|前些日子|前阵子|前段时间'),
    resolve: (_m, ctx) => fewAgoSpan(ctx, 'day'),
  },
  {
    // 过去三天, 最近两周, 近几个月, 这几天
    pattern: rx(`(?:过去|最近|近)的?(${NUM}|几)个?(天|日|周|星期|礼拜|月|年)|这几天|这些天`),
    resolve: (m, ctx) => {
      if (!m[1]) return pastSpan(ctx, 7, 'day');
      const unit = unitOf(m[2]);
      const n = m[1] === '几' ? { day: 7, week: 4, month: 6, year: 5 }[unit] : parseChineseNumber(m[1]);
      return Number.isNaN(n) ? null : pastSpan(ctx, n, unit);
    },
  },
  {
    pattern: rx('最近|近来|近期|近日|这段时间|这阵子'),
    resolve: (_m, ctx) => recentSpan(ctx),
  },
];
