/**
 * A state that has lasted up to the time it was said: "I've had them for three years now", "we've known each
 * other for a couple of months", 我养猫养了三年了. It dates the state's start (said time minus the span), so
 * for a "when did …" question it is as much an answer as "three years ago"; the range parser reads only
 * points and ranges, not spans, so this is a separate check.
 */

const COUNT = String.raw`(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+couple(?:\s+of)?|a\s+few|several|many)`;
const SPAN = new RegExp(
  String.raw`\bfor\s+(?:the\s+(?:past|last)\s+)?(?:(?:just\s+)?(?:over|under|about|almost|nearly|around|more\s+than|less\s+than)\s+)?${COUNT}\s+(?:days?|weeks?|months?|years?|decades?)\b`,
  'i',
);
/** The perfect ("have had", "'ve been", "has known") or "now" after the span: the state still holds. */
const PERFECT = /\b(?:have|has)\b|'ve\b|\bnow\b/i;
/** Chinese: verb 了 span 了 ("养了三年了"), or 已经 … span ("已经三年了"). */
const ZH_SPAN = /了?[\d一二两三四五六七八九十几半]+(?:个)?(?:天|周|星期|月|年)(?:多)?了|已经[\d一二两三四五六七八九十几半]+(?:个)?(?:天|周|星期|月|年)/u;

/** Whether `text` says how long something has lasted until now ("I've lived here for five years"). */
export function statesDuration(text: string): boolean {
  if (ZH_SPAN.test(text)) return true;
  const m = SPAN.exec(text);
  return m !== null && PERFECT.test(text);
}

const HOW_LONG = /\bhow\s+long\s+(?:has|have|had|did|does|do|was|were|is|are)\b|多久了|多长时间了|几年了/iu;

/** Whether a question asks how long something has lasted ("How long has Ana had her dog?", 你养猫多久了？). */
export function isHowLongQuestion(text: string): boolean {
  return HOW_LONG.test(text);
}
