/**
 * Character-level normalisation shared by the analyzer, the word tokenizer and the name extractor.
 *
 * Why these choices: SQLite's `unicode61` tokenizer (the one the FTS5 index uses) folds Latin diacritics
 * and treats combining marks as separators, so terms we hand it must already be folded and mark-free or
 * one of our terms would silently become several FTS tokens.
 */

/** Typographic apostrophes and quotes that chat text uses in place of ASCII ones. */
const APOSTROPHES = /[\u2018\u2019\u201B\u02BC\u2032\uFF07]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033]/g;
const DASHES = /[\u2010-\u2015\u2212]/g;

/**
 * NFKC (full-width letters and digits, ligatures, superscripts become plain characters) plus ASCII
 * apostrophes, quotes and hyphens, so "Caroline’s" and "Caroline's" analyse the same and most English
 * chat text qualifies for the ASCII fast path.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').replace(APOSTROPHES, "'").replace(DOUBLE_QUOTES, '"').replace(DASHES, '-');
}

const LATIN_WITH_DIACRITIC = /[\u00C0-\u024F\u1E00-\u1EFF]/;
const COMBINING_MARK = /\p{M}/gu;
const NON_WORD_CHAR = /[^\p{L}\p{N}]/gu;

/**
 * Folds a lower-cased word for indexing: Latin diacritics removed (café → cafe, straße → strasse), other
 * combining marks dropped (Devanagari/Thai/Arabic vowel signs), anything that is not a letter or digit
 * removed. Japanese kana keep their voicing marks because NFKC has already composed them into letters.
 */
export function foldWord(lower: string): string {
  let word = lower;
  if (LATIN_WITH_DIACRITIC.test(word))
    word = word.normalize('NFD').replace(COMBINING_MARK, '').normalize('NFC');
  // Full case folding, as unicode61 does it: final sigma is sigma, sharp s is "ss".
  if (word.includes('ß')) word = word.replaceAll('ß', 'ss');
  if (word.includes('ς')) word = word.replaceAll('ς', 'σ');
  return word.replace(NON_WORD_CHAR, '');
}

/** True when every character is 7-bit ASCII: such text can skip Intl.Segmenter. */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
