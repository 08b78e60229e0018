/**
 * Long texts are analysed in slices of at most SLICE_CHARS characters, cut where a word or sentence ends, so
 * that the work can be spread over turns of the event loop (`analyzeAsync`) while giving exactly the terms
 * of the synchronous `analyze`: both run the same slices. A memory may hold 32,000 characters, and analysing
 * that much CJK text in one go blocks for ~100 ms or more.
 */

export const SLICE_CHARS = 2_000;

const LINE_END = /\n/g;
const SENTENCE_END = /[.!?。！？；;]\s*/g;
const SPACE = /\s/g;

/** The last match of `re` in text[from, to) whose end lies inside that range, or -1. */
function lastCut(text: string, re: RegExp, from: number, to: number): number {
  re.lastIndex = from;
  let cut = -1;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    const end = m.index + m[0].length;
    if (end <= to) cut = end;
    if (m[0].length === 0) re.lastIndex += 1;
  }
  return cut;
}

/** `text` cut into consecutive slices of at most SLICE_CHARS (one slice when it is no longer). */
export function slicesOf(text: string): string[] {
  if (text.length <= SLICE_CHARS) return [text];
  const out: string[] = [];
  let start = 0;
  while (text.length - start > SLICE_CHARS) {
    const to = start + SLICE_CHARS;
    const from = start + SLICE_CHARS / 2;
    let cut = lastCut(text, LINE_END, from, to);
    if (cut < 0) cut = lastCut(text, SENTENCE_END, from, to);
    if (cut < 0) cut = lastCut(text, SPACE, from, to);
    if (cut < 0) {
      // One run without spaces (CJK, or a very long word): cut anywhere but inside a surrogate pair.
      cut = to;
      const c = text.charCodeAt(cut - 1);
      if (c >= 0xd800 && c <= 0xdbff) cut -= 1;
    }
    out.push(text.slice(start, cut));
    start = cut;
  }
  out.push(text.slice(start));
  return out;
}
