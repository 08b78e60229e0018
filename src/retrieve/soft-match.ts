import type { SpellingDictionary } from '../text/typos.js';

/** Static word vectors (GloVe) as the soft-match signal and typo correction need them. */
export interface WordVectors {
  /** Vocabulary ranks of a text's words (out-of-vocabulary words left out). */
  ranks(text: string): number[];
  /** Unit vector of a word. */
  vector(rank: number): Float32Array;
  /** How much a word says (SIF weight: near 0 for "the", near 1 for rare words). */
  weight(rank: number): number;
  /** The vocabulary as a spelling dictionary, for correcting query typos; absent = no correction. */
  dictionary?: SpellingDictionary;
  /** Neighbour search over the vocabulary (category expansion); absent = no expansion. */
  neighbours?: NeighbourSearch;
}

/** The vocabulary's most frequent words searched by cosine similarity to a unit vector. */
export interface NeighbourSearch {
  /** Every rank below `vocabulary` whose cosine with `unit` is at least `min`, unordered. */
  above(unit: Float32Array, vocabulary: number, min: number): { rank: number; similarity: number }[];
  word(rank: number): string;
}

/**
 * Soft term matching, a late interaction over static word vectors: each query word is matched to its most
 * similar word of the memory ("destress" ~ "stress", "mentorship" ~ "mentored", "fav" ~ "favorite"), and the
 * similarities are averaged with the query words' weights. Exact matches score 1; BM25 gives nothing for
 * near-misses, which is the gap this closes.
 */
export function softMatchScore(
  words: WordVectors,
  queryRanks: number[],
  docRanks: number[],
  floor: number,
): number {
  if (queryRanks.length === 0 || docRanks.length === 0) return 0;
  let total = 0;
  let weights = 0;
  for (const q of queryRanks) {
    const w = words.weight(q);
    if (w <= 0) continue;
    const qv = words.vector(q);
    let best = 0;
    for (const d of docRanks) {
      if (d === q) {
        best = 1;
        break;
      }
      const dv = words.vector(d);
      let dot = 0;
      for (let i = 0; i < qv.length; i++) dot += qv[i]! * dv[i]!;
      if (dot > best) best = dot;
    }
    total += w * Math.max(0, (best - floor) / (1 - floor));
    weights += w;
  }
  return weights > 0 ? total / weights : 0;
}
