/**
 * Turns text into GloVe vocabulary ranks. The wink GloVe vocabulary is lower-case ASCII, unstemmed, without
 * single letters or bare numbers, with hyphenated compounds ("well-known") and no contractions; so words are
 * lower-cased, accents folded, contractions expanded the way GloVe's tokenizer split them, and unknown
 * compounds split into their parts. Numbers are kept as tokens but are out of vocabulary.
 */

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const MARKS = /\p{M}+/gu;

/** GloVe's corpus was split "do n't", "she 's": the suffix stands for these words ("'s" carries nothing). */
const CONTRACTION = /^(.+?)(n't|'s|'re|'ve|'ll|'d|'m)$/;
const CONTRACTION_WORD: Record<string, string | null> = {
  "n't": 'not',
  "'s": null,
  "'re": 'are',
  "'ve": 'have',
  "'ll": 'will',
  "'d": 'would',
  "'m": 'am',
};
/** "can't" is "ca n't" to GloVe's tokenizer; map the stem back to the word. */
const NEGATED_STEM: Record<string, string> = { ca: 'can', wo: 'will', sha: 'shall' };

/** What tokenisation needs of a vocabulary: a rank per word, -1 when absent. */
export interface RankLookup {
  rank(word: string): number;
}

/** Lower-case words of `text` with accents folded and curly apostrophes made straight. */
export function gloveWords(text: string): string[] {
  const folded = text.normalize('NFKD').replace(MARKS, '').toLowerCase().replaceAll('’', "'");
  return folded.match(WORD) ?? [];
}

/** Appends the vocabulary ranks of `text`'s words to `out`; words the vocabulary lacks are skipped. */
export function gloveTokenRanks(text: string, vocab: RankLookup, out: number[] = []): number[] {
  for (const word of gloveWords(text)) pushWord(word, vocab, out);
  return out;
}

function pushWord(word: string, vocab: RankLookup, out: number[]): void {
  const rank = vocab.rank(word);
  if (rank >= 0) {
    out.push(rank);
    return;
  }
  if (word.includes("'")) {
    const contraction = CONTRACTION.exec(word);
    if (contraction) {
      const suffix = contraction[2];
      const stem = suffix === "n't" ? (NEGATED_STEM[contraction[1]] ?? contraction[1]) : contraction[1];
      pushWord(stem, vocab, out);
      const expansion = CONTRACTION_WORD[suffix];
      if (expansion) pushWord(expansion, vocab, out);
      return;
    }
    const joined = word.replaceAll("'", '');
    if (vocab.rank(joined) >= 0) {
      pushWord(joined, vocab, out);
      return;
    }
    for (const part of word.split("'")) if (part) pushWord(part, vocab, out);
    return;
  }
  if (word.includes('-')) {
    for (const part of word.split('-')) if (part) pushWord(part, vocab, out);
  }
}
