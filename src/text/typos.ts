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
  wordLength(rank: number): number;
  firstCode(rank: number): number;
}

export interface TypoOptions {
  /** Only the most frequent words are candidates: rare dictionary words make poor corrections. Default 100k. */
  maxRank?: number;
  /** Shorter words are left alone: at 4 letters one edit reaches too many words. Default 5. */
  minLength?: number;
  /** Unknown words looked up per query (each costs a scan of ~0.4 ms); the rest are left alone. Default 10. */
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

function nearestWord(word: string, dict: SpellingDictionary, maxRank: number): string | null {
  const limit = word.length >= 8 ? 2 : 1;
  const first = word.charCodeAt(0);
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (let r = 0; r < maxRank; r++) {
    if (dict.firstCode(r) !== first) continue;
    const length = dict.wordLength(r);
    if (Math.abs(length - word.length) >= bestDistance) continue;
    const candidate = dict.word(r);
    if (!LOWER.test(candidate)) continue;
    const d = boundedDistance(word, candidate, bestDistance - 1);
    // Ranks rise with rarity, so the first word found at a distance is the most frequent one there.
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      if (d === 1) break;
    }
  }
  return best;
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), or `max + 1` as soon as it
 * must exceed `max`.
 */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
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
