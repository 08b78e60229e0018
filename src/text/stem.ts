/**
 * English stemming: Porter2 (the Snowball English stemmer), which fixes Porter's best-known faults
 * ("generously" → "generous", not "gener"; "dying" → "die"; "skies" → "sky"). Measured on LoCoMo against
 * the original Porter stemmer: sessionHit@1 0.779 → 0.780, turnRecall@10 0.796 → 0.798, neither split
 * worse (docs/retrieval.md).
 *
 * Only plain a–z words reach it: the package turns a trailing digit run into nonsense ("2023" → "202i").
 */
import porter2 from 'wink-porter2-stemmer';

export function stemEnglish(word: string): string {
  return porter2(word);
}
