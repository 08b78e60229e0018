/**
 * A state that has lasted up to the time it was said: "I've had them for three years now", "we've known each
 * other for a couple of months", 我养猫养了三年了. That is what answers "How long has Ana had her dog?", where a
 * date does not; the range parser reads points and ranges, not spans, so this is a separate check. It
 * changes no stored event time (src/text/time/events.ts).
 */

const COUNT = String.raw`(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+couple(?:\s+of)?|a\s+few|several|many)`;
const SPAN = new RegExp(
  String.raw`\bfor\s+(?:the\s+(?:past|last)\s+)?(?:(?:just\s+)?(?:over|under|about|almost|nearly|around|more\s+than|less\s+than)\s+)?${COUNT}\s+(?:days?|weeks?|months?|years?|decades?)\b`,
  'i',
);
/** The perfect ("have had", "'ve been", "she's been", "has known") or "now": the state still holds. */
const PERFECT = /\b(?:have|has|been)\b|'ve\b|\bnow\b/i;
/**
 * Chinese: a count and a unit, then 了 ("养了三年了", "学了两个月了"), or 已经 before them ("已经三年"). A bare
 * 月 after a number is a month name ("已经五月了": it is May), and four digits before 年 a year, so neither counts.
 */
const ZH_SPAN =
  /(?<!\d)(?:\d{1,2}|[一二两三四五六七八九十几半]+)(?:天|周|个星期|个礼拜|个月|年)多?了|已经(?:\d{1,2}|[一二两三四五六七八九十几半]+)(?:天|周|个星期|个礼拜|个月|年)/u;

/** Whether `text` says how long something has lasted until now ("I've lived here for five years"). */
export function statesDuration(text: string): boolean {
  if (ZH_SPAN.test(text)) return true;
  const m = SPAN.exec(text);
  return m !== null && PERFECT.test(text);
}

const HOW_LONG = /\bhow\s+long\s+(?:has|have|had|did|does|do|was|were|is|are)\b|多久了|多长时间了|几年了/iu;

/**
 * Whether a question asks how long something lasted ("How long has Ana had her dog?", "How long did the
 * trip take?", 你养猫多久了？); "how long ago" asks for a time and is a "when" question (isWhenQuestion).
 */
export function isHowLongQuestion(text: string): boolean {
  return HOW_LONG.test(text);
}
