/**
 * Proper-name extraction for speaker and name matching in retrieval ("What did Caroline's sister say?" →
 * Caroline). Capitalisation is the only signal offline, so a capitalised word counts as a name when it is
 * not a function or calendar word and either stands mid-sentence or, at a sentence start (where every
 * word is capitalised), is not a common sentence opener. Scripts without case (Chinese, Japanese) yield
 * no names.
 */
import { ENGLISH_MONTHS, ENGLISH_WEEKDAYS } from './calendar-words.js';
import { normalizeText } from './normalize.js';
import { wordPieces } from './segment.js';
import { ENGLISH_STOP_WORDS } from './stopwords.js';

/** Words that often open a sentence capitalised without being names. */
const SENTENCE_OPENERS = new Set(
  (
    'yes yeah yep yup no nope nah oh ooh ah aw aww wow whoa well hey hi hello hiya bye goodbye thanks thank ' +
    'sorry please ok okay sure great cool nice awesome amazing good glad haha hahaha lol omg anyway anyways ' +
    'also actually really maybe definitely absolutely totally today yesterday tomorrow tonight last next ' +
    'let lets love hope wish thought think guess remember sounds sound congrats congratulations happy sweet ' +
    'true right exactly indeed agreed plus btw luckily unfortunately honestly seriously hopefully finally ' +
    'recently lately sometimes often always never one many every everyone everything nothing something ' +
    'anything though although still even since now besides first second third speaking talking looking ' +
    'mine dear wait look see guess know yup wonderful fantastic perfect beautiful interesting fun ' +
    'lucky cheers welcome bless gosh geez ugh hmm um uh well done go went got get getting take took made ' +
    'make been had saw seen keep kept tell told said say ask asked feel felt'
  ).split(' '),
);

const CAPITALISED_WORD = /^\p{Lu}[\p{L}\p{M}'-]*\p{Ll}[\p{L}\p{M}'-]*$/u;
const COMMON_SUFFIX = /(?:ing|ed|ly)$/;
const SENTENCE_END = /[.!?…:;\n\r\p{So}\p{Sk}]$|^$/u;
const TRAILING_OPENERS = /[\s"'“”‘’()[\]{}*_-]+$/u;

function isSentenceStart(text: string, index: number): boolean {
  return SENTENCE_END.test(text.slice(Math.max(0, index - 40), index).replace(TRAILING_OPENERS, ''));
}

function isCommonWord(lower: string): boolean {
  return ENGLISH_STOP_WORDS.has(lower) || ENGLISH_MONTHS.has(lower) || ENGLISH_WEEKDAYS.has(lower);
}

/**
 * Capitalised proper names in order of first appearance, each once, possessives removed
 * ("Caroline's" → "Caroline"). Multi-word names come back word by word ("New York" → "New", "York").
 *
 * @example extractNames("Yesterday Caroline's friend Jon met Gina in Paris.") // → ['Caroline', 'Jon', 'Gina', 'Paris']
 */
export function extractNames(text: string): string[] {
  const normalized = normalizeText(text);
  const pieces = wordPieces(normalized);
  const midSentence = new Set<string>();
  const candidates: { word: string; initial: boolean; possessive: boolean }[] = [];
  for (const piece of pieces) {
    if (!CAPITALISED_WORD.test(piece.text) || isCommonWord(piece.lower)) continue;
    const initial = isSentenceStart(normalized, piece.index);
    const possessive = normalized.startsWith(`${piece.text}'s`, piece.index);
    if (!initial) midSentence.add(piece.text);
    candidates.push({ word: piece.text, initial, possessive });
  }
  const names: string[] = [];
  for (const { word, initial, possessive } of candidates) {
    const lower = word.toLowerCase();
    const accepted =
      !initial ||
      possessive ||
      midSentence.has(word) ||
      (!SENTENCE_OPENERS.has(lower) && !COMMON_SUFFIX.test(lower));
    if (accepted && !names.includes(word)) names.push(word);
  }
  return names;
}
