import { pace } from '../core/pace.js';
import type { Memory } from '../core/types.js';
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
  // A long text repeats its words: the best match of a query word is a maximum over the distinct words, and
  // a repeated query word has the same best match, so both are computed once (the result is unchanged).
  const distinct = [...new Set(docRanks)];
  const bestOf = new Map<number, number>();
  let total = 0;
  let weights = 0;
  for (const q of queryRanks) {
    const w = words.weight(q);
    if (w <= 0) continue;
    let best = bestOf.get(q);
    if (best === undefined) {
      best = bestMatch(words, q, distinct);
      bestOf.set(q, best);
    }
    total += w * Math.max(0, (best - floor) / (1 - floor));
    weights += w;
  }
  return weights > 0 ? total / weights : 0;
}

/** The highest cosine between a query word and any of the text's distinct words (1 when it occurs). */
function bestMatch(words: WordVectors, q: number, docRanks: readonly number[]): number {
  const qv = words.vector(q);
  let best = 0;
  for (const d of docRanks) {
    if (d === q) return 1;
    const dv = words.vector(d);
    let dot = 0;
    for (let i = 0; i < qv.length; i++) dot += qv[i]! * dv[i]!;
    if (dot > best) best = dot;
  }
  return best;
}

/**
 * `softMatchScore` of a query against each memory, by id, with a turn of the event loop whenever a slice is
 * used up: a pool of 60 turns of 9,000 characters costs tens of milliseconds of tokenising and matching.
 */
export async function softMatchScores(
  words: WordVectors,
  query: string,
  memories: Iterable<Memory>,
  floor: number,
): Promise<Map<string, number>> {
  const queryRanks = words.ranks(query);
  const out = new Map<string, number>();
  for (const m of memories) {
    await pace();
    out.set(m.id, softMatchScore(words, queryRanks, words.ranks(m.text), floor));
  }
  return out;
}
