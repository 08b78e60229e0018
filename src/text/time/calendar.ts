/**
 * Calendar arithmetic for the time-expression parser, on "day numbers": whole days since 1970-01-01 in
 * the caller's local calendar (UTC unless an offset is given). Every resolved expression is a half-open
 * range of whole local days, converted to instants only at the end, so month lengths, leap years and
 * week boundaries are plain integer arithmetic with Date.UTC doing the carrying.
 */

export type TimeGranularity = 'day' | 'week' | 'month' | 'year' | 'range';

/** A resolved expression before conversion to instants: local days [startDay, endDay). */
export interface DaySpan {
  startDay: number;
  endDay: number;
  granularity: TimeGranularity;
}

const MS_PER_DAY = 86_400_000;

/** What relative expressions are resolved against. */
export interface CalendarContext {
  /** Local day number of `now`. */
  today: number;
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
  /** 0 (Sunday) .. 6 (Saturday). */
  weekday: number;
}

export function contextFor(now: Date, offsetMinutes: number): CalendarContext {
  const local = new Date(now.getTime() + offsetMinutes * 60_000);
  const today = Math.floor(local.getTime() / MS_PER_DAY);
  return {
    today,
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    weekday: local.getUTCDay(),
  };
}

/** Day number of a calendar date; months and days out of range carry over (month 13 → next January). */
export function dayOf(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

export function isValidDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Instant at which a local day starts. */
export function dayStart(dayNumber: number, offsetMinutes: number): Date {
  return new Date(dayNumber * MS_PER_DAY - offsetMinutes * 60_000);
}

export function weekdayOf(dayNumber: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** Monday of the ISO week (Monday–Sunday) containing the day. */
export function mondayOf(dayNumber: number): number {
  return dayNumber - ((weekdayOf(dayNumber) + 6) % 7);
}

export function daySpan(dayNumber: number): DaySpan {
  return { startDay: dayNumber, endDay: dayNumber + 1, granularity: 'day' };
}

/** The Monday–Sunday week `offset` weeks from the one containing `dayNumber`. */
export function weekSpan(dayNumber: number, offset = 0): DaySpan {
  const monday = mondayOf(dayNumber) + offset * 7;
  return { startDay: monday, endDay: monday + 7, granularity: 'week' };
}

/** Saturday and Sunday of the week `offset` weeks from the one containing `dayNumber`. */
export function weekendSpan(dayNumber: number, offset = 0): DaySpan {
  const saturday = mondayOf(dayNumber) + offset * 7 + 5;
  return { startDay: saturday, endDay: saturday + 2, granularity: 'range' };
}

/** A calendar month; `month` may be out of 1..12 and carries into neighbouring years. */
export function monthSpan(year: number, month: number): DaySpan {
  return { startDay: dayOf(year, month, 1), endDay: dayOf(year, month + 1, 1), granularity: 'month' };
}

export function yearSpan(year: number): DaySpan {
  return { startDay: dayOf(year, 1, 1), endDay: dayOf(year + 1, 1, 1), granularity: 'year' };
}

export function rangeSpan(startDay: number, endDay: number): DaySpan {
  return { startDay, endDay, granularity: 'range' };
}

/** The most recent `weekday` (0..6) on or before `dayNumber` (strictly before when `strict`). */
export function previousWeekday(dayNumber: number, weekday: number, strict: boolean): number {
  let back = (weekdayOf(dayNumber) - weekday + 7) % 7;
  if (back === 0 && strict) back = 7;
  return dayNumber - back;
}

/** The first `weekday` strictly after `dayNumber`. */
export function nextWeekday(dayNumber: number, weekday: number): number {
  const ahead = (weekday - weekdayOf(dayNumber) + 7) % 7;
  return dayNumber + (ahead === 0 ? 7 : ahead);
}

/** The year in which month/day last occurred on or before today (past bias for dates without a year). */
export function pastBiasedYear(ctx: CalendarContext, month: number, day = 1): number {
  return month < ctx.month || (month === ctx.month && day <= ctx.day) ? ctx.year : ctx.year - 1;
}

export type Season = 'spring' | 'summer' | 'autumn' | 'winter';
const SEASON_START_MONTH: Record<Season, number> = { spring: 3, summer: 6, autumn: 9, winter: 12 };

/**
 * Meteorological seasons of the northern hemisphere: spring Mar–May, summer Jun–Aug, autumn Sep–Nov,
 * winter Dec–Feb. "Winter 2022" is the winter that starts in December 2022.
 */
export function seasonSpan(season: Season, year: number): DaySpan {
  const start = SEASON_START_MONTH[season];
  return rangeSpan(dayOf(year, start, 1), dayOf(year, start + 3, 1));
}

/**
 * Which occurrence of a season: 'last' = the most recent one that is over, 'this' = the one containing
 * today or else the one of this year, 'next' = the first one starting after today, 'past' = the most recent
 * one that has started (for a bare "in the summer").
 */
export function relativeSeasonSpan(
  ctx: CalendarContext,
  season: Season,
  which: 'last' | 'this' | 'next' | 'past',
): DaySpan {
  const candidates = [-2, -1, 0, 1].map((d) => seasonSpan(season, ctx.year + d));
  if (which === 'last') return candidates.filter((s) => s.endDay <= ctx.today).at(-1)!;
  if (which === 'next') return candidates.find((s) => s.startDay > ctx.today)!;
  if (which === 'past') return candidates.filter((s) => s.startDay <= ctx.today).at(-1)!;
  const containing = candidates.find((s) => s.startDay <= ctx.today && ctx.today < s.endDay);
  if (containing) return containing;
  // Winter belongs to the year it starts in, except in January/February, where "this winter" is the
  // current one (handled above); any other season of this year is the one with this year's start.
  return seasonSpan(season, ctx.year);
}

export type Part = 'early' | 'mid' | 'late';

/** Early (1–10), mid (11–20) or late (21–end) part of a month. */
export function partOfMonth(year: number, month: number, part: Part): DaySpan {
  if (part === 'early') return rangeSpan(dayOf(year, month, 1), dayOf(year, month, 11));
  if (part === 'mid') return rangeSpan(dayOf(year, month, 11), dayOf(year, month, 21));
  return rangeSpan(dayOf(year, month, 21), dayOf(year, month + 1, 1));
}

/** Early (Jan–Apr), mid (May–Aug) or late (Sep–Dec) part of a year. */
export function partOfYear(year: number, part: Part): DaySpan {
  const first = part === 'early' ? 1 : part === 'mid' ? 5 : 9;
  return rangeSpan(dayOf(year, first, 1), dayOf(year, first + 4, 1));
}

export type Unit = 'day' | 'week' | 'month' | 'year';

/** "N units ago": that day, or the calendar week/month/year it falls in. */
export function agoSpan(ctx: CalendarContext, n: number, unit: Unit): DaySpan {
  if (unit === 'day') return daySpan(ctx.today - n);
  if (unit === 'week') return weekSpan(ctx.today - 7 * n);
  if (unit === 'month') return monthSpan(ctx.year, ctx.month - n);
  return yearSpan(ctx.year - n);
}

/** "A few units ago": roughly 2 to 6 units back, as one range ending one unit before now. */
export function fewAgoSpan(ctx: CalendarContext, unit: Unit): DaySpan {
  if (unit === 'day') return rangeSpan(ctx.today - 7, ctx.today - 1);
  if (unit === 'week') return rangeSpan(ctx.today - 42, ctx.today - 7);
  if (unit === 'month')
    return rangeSpan(dayOf(ctx.year, ctx.month - 6, 1), dayOf(ctx.year, ctx.month - 1, 1));
  return rangeSpan(dayOf(ctx.year - 6, 1, 1), dayOf(ctx.year - 1, 1, 1));
}

/** "The past N units": a rolling window that ends with today. */
export function pastSpan(ctx: CalendarContext, n: number, unit: Unit): DaySpan {
  const end = ctx.today + 1;
  if (unit === 'day') return rangeSpan(end - n, end);
  if (unit === 'week') return rangeSpan(end - 7 * n, end);
  if (unit === 'month') return rangeSpan(dayOf(ctx.year, ctx.month - n, ctx.day) + 1, end);
  return rangeSpan(dayOf(ctx.year - n, ctx.month, ctx.day) + 1, end);
}

/** Window of "recently", "lately", 最近: the last 30 days including today. */
export const RECENT_DAYS = 30;

export function recentSpan(ctx: CalendarContext): DaySpan {
  return rangeSpan(ctx.today - RECENT_DAYS + 1, ctx.today + 1);
}
