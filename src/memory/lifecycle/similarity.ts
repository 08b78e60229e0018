import { segmentWords } from '../../text/segment.js';
import { stemEnglish } from '../../text/stem.js';

/**
 * Similarity of short statements, for telling "the same fact in other words" from a new one. Terms are
 * lower-cased, NFKC-normalised, segmented with Intl.Segmenter (so Chinese splits into words), stemmed when
 * Latin, and stripped of function words that carry no content ("I", "the", "really", 我, 的 …).
 */
const STOP_WORDS = new Set(
  (
    'a an the and or but of to in on at for from with by as is am are was were be been being do does did have has ' +
    'had i me my mine we us our you your he him his she her it its they them their this that these those so very ' +
    'really just now also too still actually quite pretty such there here what which who whom whose where when ' +
    'how why all any some no not than then into about up down out over again once own same can will would could ' +
    'should shall may might must im ive id ill dont doesnt didnt isnt wasnt arent werent s t m ll d ve re'
  ).split(' '),
);
const CJK_STOP_WORDS = new Set([
  '我',
  '的',
  '了',
  '是',
  '在',
  '很',
  '也',
  '都',
  '就',
  '和',
  '呢',
  '吧',
  '啊',
  '呀',
  '吗',
]);

export function normalizedTerms(text: string): string[] {
  const out: string[] = [];
  const normal = text.normalize('NFKC').toLowerCase().replace(/[’']/g, '');
  // segmentWords: Intl.Segmenter's words, found by an equivalent regex when the text is ASCII (the segmenter
  // costs ~1 s for 32,000 characters of English; the regex a few milliseconds).
  for (const { segment: word } of segmentWords(normal)) {
    if (/^[a-z0-9]+$/.test(word)) {
      if (!STOP_WORDS.has(word)) out.push(stemEnglish(word));
    } else if (!CJK_STOP_WORDS.has(word)) {
      out.push(word);
    }
  }
  return out;
}

/** Sørensen–Dice coefficient of the two texts' normalised term sets, in [0, 1]. */
export function termSimilarity(a: string, b: string): number {
  const sa = new Set(normalizedTerms(a));
  const sb = new Set(normalizedTerms(b));
  if (sa.size === 0 && sb.size === 0) return a.trim().toLowerCase() === b.trim().toLowerCase() ? 1 : 0;
  let shared = 0;
  for (const t of sa) if (sb.has(t)) shared++;
  return (2 * shared) / (sa.size + sb.size);
}

/** A canonical key for a fact value: its normalised terms, sorted, so "in Berlin" equals "berlin". */
export function valueKey(value: string): string {
  const terms = normalizedTerms(value);
  return terms.length > 0
    ? [...new Set(terms)].sort().join(' ')
    : value.normalize('NFKC').trim().toLowerCase();
}

/** Cosine of two unit-length vectors (the embedders return normalised vectors). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) dot += a[i]! * b[i]!;
  return dot;
}
