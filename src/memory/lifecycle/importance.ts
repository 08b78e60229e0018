import { type AttributeTable, DEFAULT_ATTRIBUTE_TABLE } from './attributes.js';
import { clamp01 } from './decay.js';

/**
 * Importance heuristic, 0..1 (Generative Agents asks an LLM for "poignancy"; offline we read the signs):
 *
 *   base        0.3 for any utterance
 *   facts       raised to the most important attribute stated (health 0.8–0.9, identity and places ≈ 0.75,
 *               preferences ≈ 0.5; see the attribute table)
 *   life events +0.15 for words that mark one (born, died, married, diagnosed, moved, graduated …)
 *   specifics   +0.05 when it carries a number or a date
 *   small talk  0.1 for greetings, thanks and one-word reactions; −0.1 for a question that states nothing
 *
 * clamped to [0.05, 1] and rounded to two decimals. An LLM's judgement, when given, replaces it.
 */
const LIFE_EVENT =
  /\b(born|birth|died|passed away|funeral|married|wedding|engaged|divorced?|pregnan\w*|diagnos\w*|cancer|surgery|hospital|accident|graduat\w*|promot\w*|fired|laid off|retir\w*|moved|relocat\w*|adopt\w*|new job|broke up|anniversary)\b|出生|去世|结婚|订婚|离婚|怀孕|诊断|癌症|手术|住院|事故|毕业|升职|辞职|退休|搬家|搬到|领养|分手/i;
const SMALL_TALK =
  /^(?:hi|hey|hello|thanks|thank you|thx|ok|okay|lol|haha+|bye|good night|goodnight|see you|cool|nice|great|wow|yes|no|yeah|sure|awesome|congrats|congratulations|你好|谢谢|好的|哈哈+|再见|嗯|没错)\b[\s!.,?~]*(?:\p{Extended_Pictographic}|[\s!.,?~])*$/iu;
const SPECIFICS =
  /\d|\b(?:january|february|march|april|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|tomorrow)\b|[年月日号]|周[一二三四五六日]/i;

export function estimateImportance(
  text: string,
  facts: ReadonlyArray<{ attribute: string; importance?: number }> = [],
  table: AttributeTable = DEFAULT_ATTRIBUTE_TABLE,
): number {
  const t = text.trim();
  if (SMALL_TALK.test(t)) return 0.1;
  let score = 0.3;
  for (const f of facts) score = Math.max(score, f.importance ?? table.importance(f.attribute));
  if (LIFE_EVENT.test(t)) score += 0.15;
  if (SPECIFICS.test(t)) score += 0.05;
  if (facts.length === 0 && /[?？]\s*$/.test(t)) score -= 0.1;
  return Math.round(Math.max(0.05, clamp01(score)) * 100) / 100;
}
