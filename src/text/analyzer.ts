/**
 * The text analyzer: turns text into the terms of the full-text index and of queries against it.
 *
 * Both sides must agree exactly, so the FTS5 table stores `analyze(text).join(' ')` under the plain
 * `unicode61` tokenizer and queries are built from `analyzeQuery(query)`. Every term consists of letters
 * and digits only (no spaces, punctuation, quotes or FTS5 operators), lower case, with Latin diacritics
 * folded, so unicode61 reads each term back as exactly one token. See docs/text-analysis.md.
 */
import { CHAT_ABBREVIATIONS } from './abbreviations.js';
import {
  AMBIGUOUS_CALENDAR_WORDS,
  CAPITALISED_CALENDAR_WORDS,
  DATE_CONTEXT_WORDS,
  ENGLISH_MONTHS,
  ENGLISH_WEEKDAYS,
  MONTH_TERMS,
  WEEKDAY_TERMS,
} from './calendar-words.js';
import { chineseCalendarTerm, cjkBigrams, hasCjk, isHan, isSingleHiragana } from './cjk.js';
import { foldWord, normalizeText } from './normalize.js';
import { type WordPiece, wordPieces } from './segment.js';
import { slicesOf } from './slices.js';
import { MAX_STEMMED_WORD_LENGTH, stemEnglish } from './stem.js';
import {
  CJK_QUERY_STOP_CHARS,
  CJK_QUERY_STOP_WORDS,
  CJK_STOP_WORDS,
  ENGLISH_QUERY_STOP_WORDS,
  ENGLISH_STOP_WORDS,
} from './stopwords.js';

export { MAX_STEMMED_WORD_LENGTH } from './stem.js';

export interface AnalyzeOptions {
  /** Stem English (a–z) words with Porter2: "running" → "run". Default true. */
  stem?: boolean;
  /** Drop stop words (see stopwords.ts). Default true. */
  stopWords?: boolean;
  /** Add character bigrams of Chinese/Japanese/Korean runs. Default true. */
  cjkBigrams?: boolean;
  /**
   * Add each Han character of multi-character words as its own term, so a one-character query word (猫)
   * finds longer words (小猫咪). Default true for `analyze` (index side), false for `analyzeQuery`.
   */
  cjkUnigrams?: boolean;
}

interface Resolved {
  stem: boolean;
  stopWords: boolean;
  cjkBigrams: boolean;
  cjkUnigrams: boolean;
  query: boolean;
}

/** Number words → digits, so "two weeks" and "2 weeks" share a term. */
const NUMBER_WORDS: ReadonlyMap<string, string> = new Map([
  ...(
    'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen ' +
    'seventeen eighteen nineteen twenty'
  )
    .split(' ')
    .map((word, value): [string, string] => [word, String(value)]),
  ...'thirty forty fifty sixty seventy eighty ninety'
    .split(' ')
    .map((word, i): [string, string] => [word, String(30 + 10 * i)]),
]);

const DIGITS = /^\d+$/;
const ORDINAL_OR_DECADE = /^(\d+)(?:st|nd|rd|th|s)$/;
const NUMBER_THEN_LETTERS = /^(\d+)([a-z]+)$/;
const ASCII_LETTERS = /^[a-z]+$/;
const NUMBERISH = /^\d{1,4}(?:st|nd|rd|th)?$/;
const PRONOUNS_AFTER_MODAL = new Set(['i', 'we', 'you', 'he', 'she', 'they', 'it', 'there', 'this', 'that']);

function stripLeadingZeros(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}

function isCapitalised(piece: WordPiece): boolean {
  return piece.text[0] !== piece.lower[0];
}

function isNumberish(piece: WordPiece | undefined): boolean {
  return piece !== undefined && NUMBERISH.test(piece.lower);
}

/**
 * Whether an English month/weekday word at `i` really is one. Unambiguous words always are; "may",
 * "march", "sat", "sun" … need a date context: a number next to them ("May 7", "7 Mar"), a date
 * preposition before them ("in may", "early march"), or — for full month names — a capital letter not
 * followed by a pronoun ("May I ask" stays a modal verb).
 */
function isCalendarWord(pieces: WordPiece[], i: number): boolean {
  const piece = pieces[i];
  if (!AMBIGUOUS_CALENDAR_WORDS.has(piece.lower)) return true;
  const prev = pieces[i - 1];
  const next = pieces[i + 1];
  if (isNumberish(prev) || isNumberish(next)) return true;
  if (prev && DATE_CONTEXT_WORDS.has(prev.lower) && ENGLISH_MONTHS.has(piece.lower)) return true;
  if (CAPITALISED_CALENDAR_WORDS.has(piece.lower) && isCapitalised(piece)) {
    return !(next && PRONOUNS_AFTER_MODAL.has(next.lower));
  }
  return false;
}

/** The calendar term of an English month or weekday word, whether or not the context makes it one. */
function calendarWordTerm(lower: string): string | undefined {
  const month = ENGLISH_MONTHS.get(lower);
  if (month !== undefined) return MONTH_TERMS[month - 1];
  const weekday = ENGLISH_WEEKDAYS.get(lower);
  return weekday === undefined ? undefined : WEEKDAY_TERMS[weekday];
}

function calendarTerm(pieces: WordPiece[], i: number): string | undefined {
  const term = calendarWordTerm(pieces[i].lower);
  return term !== undefined && isCalendarWord(pieces, i) ? term : undefined;
}

function pushWordTerm(written: string, opts: Resolved, out: string[]): void {
  const word = CHAT_ABBREVIATIONS.get(written) ?? written;
  if (
    opts.stopWords &&
    (ENGLISH_STOP_WORDS.has(word) || (opts.query && ENGLISH_QUERY_STOP_WORDS.has(word)))
  ) {
    return;
  }
  const number = NUMBER_WORDS.get(word);
  if (number !== undefined) {
    out.push(number);
    return;
  }
  const folded = foldWord(word);
  if (!folded) return;
  const stem = opts.stem && folded.length <= MAX_STEMMED_WORD_LENGTH && ASCII_LETTERS.test(folded);
  out.push(stem ? stemEnglish(folded) : folded);
}

function pushCjkWord(pieces: WordPiece[], i: number, opts: Resolved, out: string[]): void {
  const word = pieces[i].lower;
  const calendar = chineseCalendarTerm(word);
  if (calendar) out.push(calendar);
  if (
    opts.stopWords &&
    (CJK_STOP_WORDS.has(word) || isSingleHiragana(word) || (opts.query && CJK_QUERY_STOP_WORDS.has(word)))
  ) {
    return;
  }
  const folded = foldWord(word);
  if (!folded) return;
  out.push(folded);
  if (opts.cjkUnigrams) {
    const chars = Array.from(folded);
    if (chars.length > 1) {
      for (const ch of chars) if (isHan(ch) && !CJK_QUERY_STOP_CHARS.has(ch)) out.push(ch);
    }
  }
}

function pushNumber(pieces: WordPiece[], i: number, digits: string, out: string[]): void {
  const value = stripLeadingZeros(digits);
  out.push(value);
  // "5月" is segmented as 5 / 月: give it the same month term as 五月 and May.
  if (pieces[i + 1]?.lower === '月') {
    const n = Number(value);
    if (n >= 1 && n <= 12) out.push(MONTH_TERMS[n - 1]);
  }
}

function analyzePieces(text: string, opts: Resolved): string[] {
  const normalized = normalizeText(text);
  const pieces = wordPieces(normalized);
  const out: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const { lower } = pieces[i];
    if (DIGITS.test(lower)) {
      pushNumber(pieces, i, lower, out);
      continue;
    }
    if (hasCjk(lower)) {
      pushCjkWord(pieces, i, opts, out);
      continue;
    }
    const ordinal = ORDINAL_OR_DECADE.exec(lower);
    if (ordinal) {
      out.push(stripLeadingZeros(ordinal[1]));
      continue;
    }
    const unit = NUMBER_THEN_LETTERS.exec(lower);
    if (unit) {
      // "30pm", "5km": the number is what a query will repeat; the unit is a word of its own. "7nov" is
      // "7 nov": a month or weekday glued to a number is one, as it is beside a number.
      out.push(stripLeadingZeros(unit[1]));
      const calendar = calendarWordTerm(unit[2]);
      if (calendar !== undefined) out.push(calendar);
      else pushWordTerm(unit[2], opts, out);
      continue;
    }
    const calendar = calendarTerm(pieces, i);
    if (calendar) {
      out.push(calendar);
      continue;
    }
    pushWordTerm(lower, opts, out);
  }
  if (opts.cjkBigrams && hasCjk(normalized)) {
    const keep = opts.query
      ? (a: string, b: string) => !CJK_QUERY_STOP_CHARS.has(a) && !CJK_QUERY_STOP_CHARS.has(b)
      : undefined;
    for (const bigram of cjkBigrams(normalized.toLowerCase(), keep)) out.push(bigram);
  }
  return out;
}

/**
 * Index terms of `text`, in text order with repeats (term frequency matters to BM25), CJK bigrams last (per
 * slice of 2,000 characters, for long texts: slices.ts).
 *
 * @example analyze("Caroline's 3rd trip to Paris in May") // → ['carolin', '3', 'trip', 'pari', 'may']
 * @example analyze('我对青霉素过敏') // → ['青霉素', '青', '霉', '素', '过敏', '过', '敏', '我对', '对青', …]
 */
export function analyze(text: string, options: AnalyzeOptions = {}): string[] {
  const opts = indexOptions(options);
  return slicesOf(text).flatMap((slice) => analyzePieces(slice, opts));
}

function indexOptions(options: AnalyzeOptions): Resolved {
  return {
    stem: options.stem ?? true,
    stopWords: options.stopWords ?? true,
    cjkBigrams: options.cjkBigrams ?? true,
    cjkUnigrams: options.cjkUnigrams ?? true,
    query: false,
  };
}

/**
 * `analyze(text)` with a turn of the event loop between slices of a long text (see slices.ts): the same
 * terms, without holding the loop for the whole text.
 */
export async function analyzeAsync(text: string, options: AnalyzeOptions = {}): Promise<string[]> {
  const opts = indexOptions(options);
  const out: string[] = [];
  for (const slice of slicesOf(text)) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (const term of analyzePieces(slice, opts)) out.push(term);
  }
  return out;
}

/**
 * Query terms of `text`: the same analysis as `analyze`, plus question framing words dropped ("ever",
 * "remember", 什么, 哪里 …), CJK bigrams containing a particle or pronoun character dropped, no Han
 * unigrams of longer words, and each term once (first occurrence order).
 *
 * @example analyzeQuery('对什么药过敏') // → ['药', '过敏', '药过']
 */
export function analyzeQuery(text: string, options: AnalyzeOptions = {}): string[] {
  const opts: Resolved = {
    stem: options.stem ?? true,
    stopWords: options.stopWords ?? true,
    cjkBigrams: options.cjkBigrams ?? true,
    cjkUnigrams: options.cjkUnigrams ?? false,
    query: true,
  };
  return [...new Set(slicesOf(text).flatMap((slice) => analyzePieces(slice, opts)))];
}

/**
 * Plain lower-case surface words for embedders and name matching: NFKC, possessives removed
 * ("Caroline's" → "caroline"), contractions split ("didn't" → "did", "not"), "1,000" → "1000",
 * diacritics kept, no stemming, no stop-word removal, no bigrams; CJK words as the segmenter cuts them.
 */
export function tokenizeWords(text: string): string[] {
  const out: string[] = [];
  for (const piece of wordPieces(normalizeText(text))) {
    const word = piece.lower.replace(/[^\p{L}\p{N}\p{M}]/gu, '');
    if (word) out.push(word);
  }
  return out;
}
