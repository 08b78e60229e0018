/**
 * Query typo correction against a public dictionary (the GloVe vocabulary, ordered by corpus frequency).
 *
 * "Which torunament did Nate win?" finds nothing for `torunament` in BM25, the embedder and soft matching all
 * skip it, and the query loses its most telling word. A word the dictionary does not know is therefore given
 * its nearest dictionary word, which joins the query beside it (the original stays: it may be a name or a
 * word the user's own memories spell the same way).
 *
 * The dictionary is public and the same for every user, never the index's vocabulary: correcting towards
 * words of the index would reveal words stored by other users or tenants of the same file.
 */

/** What correction needs of a dictionary: words by frequency rank (0 = most frequent). */
export interface SpellingDictionary {
  readonly size: number;
  /** Rank of `word`, or -1 when unknown. */
  rank(word: string): number;
  word(rank: number): string;
  firstCode(rank: number): number;
}

export interface TypoOptions {
  /** Only the most frequent words are candidates: rare dictionary words make poor corrections. Default 100k. */
  maxRank?: number;
  /** Shorter words are left alone: at 4 letters one edit reaches too many words. Default 5. */
  minLength?: number;
  /** Unknown words looked up per query (~0.3 ms each); the rest are left alone. Default 10. */
  maxWords?: number;
}

export interface Correction {
  word: string;
  correction: string;
}

const WORD = /[A-Za-z]+/g;
const LOWER = /^[a-z]+$/;

/**
 * Corrections for the misspelt words of `query`: lower-case words (a capital marks a name, which the
 * dictionary may not know) of at least `minLength` letters that the dictionary lacks, each mapped to the most
 * frequent dictionary word at the smallest Damerau–Levenshtein distance, 1 for up to 7 letters and 2 from 8.
 * The first letter must agree: typos rarely hit it, and the rule keeps the scan short.
 */
export function findTypos(query: string, dict: SpellingDictionary, options: TypoOptions = {}): Correction[] {
  const maxRank = Math.min(dict.size, options.maxRank ?? 100_000);
  const minLength = options.minLength ?? 5;
  let lookups = options.maxWords ?? 10;
  const out: Correction[] = [];
  const seen = new Set<string>();
  for (const [word] of query.matchAll(WORD)) {
    if (word.length < minLength || !LOWER.test(word) || seen.has(word)) continue;
    seen.add(word);
    if (dict.rank(word) >= 0) continue;
    if (lookups-- <= 0) break;
    const correction = nearestWord(word, dict, maxRank);
    if (correction) out.push({ word, correction });
  }
  return out;
}

/** `query` with each correction written after its misspelt word: "torunament" → "torunament tournament". */
export function withCorrections(query: string, corrections: readonly Correction[]): string {
  if (corrections.length === 0) return query;
  const map = new Map(corrections.map((c) => [c.word, c.correction]));
  return query.replace(WORD, (w) => {
    const c = map.get(w);
    return c ? `${w} ${c}` : w;
  });
}

/** A dictionary's lower-case candidates of one first letter, by length, each list in rank order. */
type LetterIndex = Map<number, { ranks: Int32Array; words: string[] }>;

/**
 * Candidate lists per dictionary, first letter and rank bound, built on the first unknown word with that letter:
 * without them every lookup walked the whole dictionary and decoded thousands of words (1.7 ms per word,
 * against 0.27 ms with them).
 */
const letterIndexes = new WeakMap<SpellingDictionary, Map<string, LetterIndex>>();

function letterIndex(dict: SpellingDictionary, first: number, maxRank: number): LetterIndex {
  let byKey = letterIndexes.get(dict);
  if (!byKey) {
    byKey = new Map();
    letterIndexes.set(dict, byKey);
  }
  const key = `${first}:${maxRank}`;
  let index = byKey.get(key);
  if (index) return index;
  const lists = new Map<number, { ranks: number[]; words: string[] }>();
  for (let r = 0; r < maxRank; r++) {
    if (dict.firstCode(r) !== first) continue;
    const candidate = dict.word(r);
    if (!LOWER.test(candidate)) continue;
    let list = lists.get(candidate.length);
    if (!list) {
      list = { ranks: [], words: [] };
      lists.set(candidate.length, list);
    }
    list.ranks.push(r);
    list.words.push(candidate);
  }
  index = new Map(
    [...lists].map(([length, l]) => [length, { ranks: Int32Array.from(l.ranks), words: l.words }]),
  );
  byKey.set(key, index);
  return index;
}

function nearestWord(word: string, dict: SpellingDictionary, maxRank: number): string | null {
  const index = letterIndex(dict, word.charCodeAt(0), maxRank);
  let best: string | null = null;
  // Distance and rank of the best so far: the smallest distance wins, then the smaller rank (more frequent).
  let bestDistance = word.length >= 8 ? 2 : 1;
  let bestRank = Number.POSITIVE_INFINITY;
  for (let length = word.length - bestDistance; length <= word.length + bestDistance; length++) {
    const list = index.get(length);
    if (!list) continue;
    for (let i = 0; i < list.ranks.length; i++) {
      const rank = list.ranks[i]!;
      // A later word of this list has a larger rank, so it must be strictly closer to win.
      const max = rank < bestRank ? bestDistance : bestDistance - 1;
      if (Math.abs(length - word.length) > max) break;
      const d = boundedDistance(word, list.words[i]!, max);
      if (d <= max) {
        best = list.words[i]!;
        bestDistance = d;
        bestRank = rank;
      }
    }
  }
  return best;
}

/** Rows of the distance table, reused: a lookup computes thousands of distances. */
let rows = [new Int32Array(32), new Int32Array(32), new Int32Array(32)];

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), or `max + 1` as soon as it
 * must exceed `max`.
 */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  if (rows[0]!.length <= n) rows = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
  let [prev2, prev, cur] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) {
        d = Math.min(d, prev2[j - 2]! + 1);
      }
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]! <= max ? prev[n]! : max + 1;
}
