/**
 * English stemming: Porter2 (the Snowball English stemmer), which fixes Porter's best-known faults
 * ("generously" → "generous", not "gener"; "dying" → "die"; "skies" → "sky"). Measured on LoCoMo against
 * the original Porter stemmer: sessionHit@1 0.779 → 0.780, turnRecall@10 0.796 → 0.798, neither split
 * worse (docs/retrieval.md).
 *
 * Only plain a–z words reach it: the package turns a trailing digit run into nonsense ("2023" → "202i").
 */
import porter2 from 'wink-porter2-stemmer';

/**
 * Longer words are returned as they are: the Porter2 implementation is quadratic in the length of a word (a
 * 32,000-letter word took ~6 s), and no English word that a suffix rule could help is this long. Every
 * caller (the analyzer, fact similarity) applies the same rule, so such a word still matches itself.
 */
export const MAX_STEMMED_WORD_LENGTH = 64;

const CACHE_LIMIT = 50_000;
const cache = new Map<string, string>();

export function stemEnglish(word: string): string {
  if (word.length > MAX_STEMMED_WORD_LENGTH) return word;
  let stem = cache.get(word);
  if (stem === undefined) {
    // Bounded: conversation vocabularies are small, but a long-running server must not grow forever.
    if (cache.size >= CACHE_LIMIT) cache.clear();
    stem = porter2(word);
    cache.set(word, stem);
  }
  return stem;
}
