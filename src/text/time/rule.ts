import type { CalendarContext, DaySpan } from './calendar.js';

/**
 * One family of time expressions: a global regex and how to resolve a match against the calendar.
 * `resolve` returns null when the match turns out not to be a date (an invalid day, a modal "may").
 */
export interface TimeRule {
  pattern: RegExp;
  resolve(match: RegExpExecArray, ctx: CalendarContext): DaySpan | null;
}
