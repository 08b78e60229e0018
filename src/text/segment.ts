/**
 * Splits normalised text into word pieces: the common first step of `analyze`, `tokenizeWords` and the
 * name extractor.
 *
 * Two paths give the same pieces: a regex for pure ASCII text (most English chat, and about ten times
 * faster) and `Intl.Segmenter` (word granularity, dictionary-based for Chinese, Japanese and Thai) for
 * everything else. The regex mirrors the Unicode word-break rules that matter for ASCII: letters join across
 * `'`, `.` and `:` ("don't", "U.S.A", "a:b"); digits join across `,`, `.` and `;` ("1,000", "3.5").
 * Each segment is then cut into pieces by the same function, so both paths agree (a property test checks
 * it).
 */
import { isAscii } from './normalize.js';

/** One word as written (original case kept for name and month detection). */
export interface WordPiece {
  /** Surface form, original case, apostrophes removed except inside unknown contractions. */
  text: string;
  /** Lower-cased `text`. */
  lower: string;
  /** Offset of the segment it came from in the normalised text. */
  index: number;
}

const ASCII_WORD =
  /[A-Za-z0-9]+(?:(?:(?<=[A-Za-z])['.:](?=[A-Za-z])|(?<=[0-9])[.,;](?=[0-9]))[A-Za-z0-9]+)*/g;

let segmenter: Intl.Segmenter | undefined;
function wordSegmenter(): Intl.Segmenter {
  // ICU's word dictionary for Han/Kana/Thai is chosen by script, not locale; one cached instance serves
  // every language (creating a segmenter costs far more than using one).
  segmenter ??= new Intl.Segmenter('en', { granularity: 'word' });
  return segmenter;
}

/** Raw word segments with their offsets, before piece splitting. */
export function segmentWords(text: string, forceSegmenter = false): readonly Segment[] {
  if (!forceSegmenter && isAscii(text)) {
    const out: Segment[] = [];
    for (const m of text.matchAll(ASCII_WORD)) out.push({ segment: m[0], index: m.index });
    return out;
  }
  // One query is analysed several times on its way through a search and a context (terms, names, question
  // shape); ICU's segmentation of a long Chinese text is the costly part, so the last few results are kept.
  const memo = text.length >= MEMO_MIN_CHARS ? segmentMemo.get(text) : undefined;
  if (memo) return memo;
  const out: Segment[] = [];
  for (const s of wordSegmenter().segment(text)) {
    if (!s.isWordLike) continue;
    if (cjkSplitter && CJK_SEGMENT.test(s.segment)) {
      for (const word of cjkSplitter(s.segment)) out.push({ segment: word, index: s.index });
    } else out.push({ segment: s.segment, index: s.index });
  }
  if (text.length >= MEMO_MIN_CHARS) {
    if (segmentMemo.size >= MEMO_ENTRIES) segmentMemo.delete(segmentMemo.keys().next().value as string);
    segmentMemo.set(text, out);
  }
  return out;
}

interface Segment {
  segment: string;
  index: number;
}
const MEMO_MIN_CHARS = 200;
const MEMO_ENTRIES = 8;
const segmentMemo = new Map<string, readonly Segment[]>();

const CJK_SEGMENT = /\p{sc=Han}/u;
let cjkSplitter: ((text: string) => string[]) | null = null;

/**
 * Replaces how a Chinese segment of Intl.Segmenter is cut into words, for measuring other segmenters
 * (scripts/segmentation-eval.ts; docs/text-analysis.md has the results). null restores the default.
 * Changing it changes index terms: a store written with one splitter must be searched with the same one.
 */
export function setCjkWordSplitter(splitter: ((text: string) => string[]) | null): void {
  cjkSplitter = splitter;
  segmentMemo.clear();
}

/** Contractions whose base is not the text before the apostrophe. */
const IRREGULAR_CONTRACTIONS: Record<string, string[]> = {
  "can't": ['can', 'not'],
  "won't": ['will', 'not'],
  "shan't": ['shall', 'not'],
  "ain't": ['is', 'not'],
  "let's": ['let', 'us'],
};
/** Suffixes after an apostrophe that carry no searchable meaning ('s is a possessive or "is"/"has"). */
const DROPPED_SUFFIXES = new Set(['s', 'm', 're', 've', 'll', 'd']);

const SEPARATOR = /[^\p{L}\p{N}\p{M}'.,;:]+/u;
const THOUSANDS = /^\d{1,3}(?:,\d{3})+$/;
const ACRONYM = /^\p{L}(?:\.\p{L})+$/u;
const INNER_PUNCT = /[.,;:]+/;

function piece(text: string, index: number): WordPiece {
  return { text, lower: text.toLowerCase(), index };
}

function pushApostropheWord(word: string, index: number, out: WordPiece[]): void {
  if (!word.includes("'")) {
    if (word) out.push(piece(word, index));
    return;
  }
  const lower = word.toLowerCase();
  const irregular = IRREGULAR_CONTRACTIONS[lower];
  if (irregular) {
    // Keep the original case of the first letter so "Can't" still looks sentence-initial to callers.
    const first = irregular[0];
    const cased = word[0] !== lower[0] ? first[0].toUpperCase() + first.slice(1) : first;
    out.push(piece(cased, index));
    for (const w of irregular.slice(1)) out.push(piece(w, index));
    return;
  }
  if (lower.endsWith("n't") && lower.length > 3) {
    out.push(piece(word.slice(0, -3), index), piece('not', index));
    return;
  }
  const cut = word.lastIndexOf("'");
  const suffix = lower.slice(cut + 1);
  if (DROPPED_SUFFIXES.has(suffix) && cut > 0) {
    pushApostropheWord(word.slice(0, cut), index, out);
    return;
  }
  for (const part of word.split("'")) if (part) out.push(piece(part, index));
}

/**
 * Cuts one segment into pieces: "1,000" → "1000", "U.S.A" → "USA", "Caroline's" → "Caroline",
 * "didn't" → "did" + "not", "e-mail" → "e" + "mail", "3.5" → "3" + "5".
 */
export function splitSegment(segment: string, index: number, out: WordPiece[]): void {
  for (const part of segment.split(SEPARATOR)) {
    if (!part) continue;
    if (THOUSANDS.test(part)) {
      out.push(piece(part.replaceAll(',', ''), index));
    } else if (ACRONYM.test(part)) {
      out.push(piece(part.replaceAll('.', ''), index));
    } else {
      for (const sub of part.split(INNER_PUNCT)) pushApostropheWord(sub, index, out);
    }
  }
}

/** All word pieces of normalised text, in order. */
export function wordPieces(text: string, forceSegmenter = false): WordPiece[] {
  const out: WordPiece[] = [];
  for (const { segment, index } of segmentWords(text, forceSegmenter)) splitSegment(segment, index, out);
  return out;
}
