/**
 * A set question names a category ("What sports does Ana play?", "Which instruments has Tom learnt?") and
 * the memories that answer it name its members ("I joined a soccer team", "my first violin lesson"), which
 * share no word with the question. The category word is expanded to its nearest neighbours in the static word
 * vectors (GloVe: sports → soccer, basketball, baseball …; pets → cats, dogs, rabbits …), and those words make
 * one more BM25 candidate list, searched in the same store call as the others (hybrid.ts).
 *
 * The neighbours come from the most frequent `vocabulary` words only: a full scan of the 341k-word vocabulary
 * costs tens of milliseconds per query, the first 15k hold the everyday words people use for members of
 * everyday categories (rarer ones, "kickboxing", are left out) and a scan of them costs a few. Results are
 * kept per category word, since a user asks about the same categories again.
 */
import { AUXILIARY } from './question-shape.js';
import type { WordVectors } from './soft-match.js';

export interface CategoryExpansionConfig {
  /** Weight of the expansion list in fusion (0 = off). */
  weight: number;
  /** Neighbours added per category word. */
  neighbours: number;
  /** Cosine similarity a neighbour needs. */
  minSimilarity: number;
  /** How many of the most frequent words are searched for neighbours. */
  vocabulary: number;
  /** Expand only set questions (true) or any "what/which <noun>" question (false). */
  setOnly: boolean;
  /** The list searches the query's own terms beside the members (true) or the members alone. */
  withQuery: boolean;
}

/** Name of the expansion list among the candidate lists. */
export const CATEGORY_LIST = 'category';

export const DEFAULT_CATEGORY_EXPANSION: CategoryExpansionConfig = {
  weight: 0,
  neighbours: 10,
  minSimilarity: 0.55,
  vocabulary: 15_000,
  setOnly: true,
  withQuery: true,
};

/** Words after what/which that name no category (question words and auxiliaries). */
const NOT_CATEGORY = new Set([
  ...AUXILIARY,
  'this',
  'that',
  'these',
  'those',
  'his',
  'her',
  'their',
  'its',
  'my',
  'your',
  'our',
  'the',
  'a',
  'an',
  'kind',
  'kinds',
  'type',
  'types',
  'sort',
  'sorts',
  'ways',
  'way',
  'of',
  'else',
  'other',
  'new',
]);

const WH_NOUN = /\b(?:what|which)\s+((?:[\p{L}+'-]+\s+){0,2}[\p{L}+'-]+)/iu;
const KIND_OF = /\b(?:what|which)\s+(?:kinds?|types?|sorts?)\s+of\s+((?:[\p{L}+'-]+\s+)?[\p{L}+'-]+)/iu;

/**
 * The category words of a question: the noun phrase after "what/which" ("sports", "martial arts") or after
 * "what kind of" ("music"), lower case, up to the first word that is a verb or auxiliary. English only.
 */
export function categoryWords(query: string): string[] {
  const m = KIND_OF.exec(query) ?? WH_NOUN.exec(query);
  if (!m) return [];
  const out: string[] = [];
  for (const raw of m[1]!.split(/\s+/)) {
    const w = raw.toLowerCase();
    // The phrase ends at an auxiliary or determiner ("What sports does …") and at a name ("What did Ana …"
    // has none); an all-capitals word is part of it ("What LGBTQ+ events").
    if (NOT_CATEGORY.has(w) || /^\p{Lu}\p{Ll}/u.test(raw)) break;
    out.push(w);
  }
  // The phrase ends at its noun: a plural or the last word kept ("martial arts", "LGBTQ+ events").
  const plural = out.findIndex((w) => /[a-z]s$/.test(w) && !w.endsWith('ss'));
  return plural >= 0 ? out.slice(0, plural + 1) : out.slice(0, 1);
}

/** Neighbours already found, per vector set and category (a user asks about the same categories again). */
const found = new WeakMap<WordVectors, Map<string, string[]>>();
const MAX_CACHED = 2_000;

/**
 * The nearest neighbours of the category words' mean vector among the `vocabulary` most frequent words,
 * best first, without the category words themselves, their inflections ("activity" of "activities") and
 * words that say little (SIF weight below a quarter: "various", "such").
 */
export function categoryNeighbours(
  words: WordVectors,
  category: readonly string[],
  config: Pick<CategoryExpansionConfig, 'neighbours' | 'minSimilarity' | 'vocabulary'>,
): string[] {
  const search = words.neighbours;
  if (!search || category.length === 0) return [];
  const key = `${category.join(' ')}|${config.neighbours}|${config.minSimilarity}|${config.vocabulary}`;
  let cache = found.get(words);
  if (!cache) {
    cache = new Map();
    found.set(words, cache);
  }
  const known = cache.get(key);
  if (known) return known;
  const ranks = words.ranks(category.join(' '));
  if (ranks.length === 0) return [];
  const dims = words.vector(ranks[0]!).length;
  const centre = new Float32Array(dims);
  for (const r of ranks) {
    const v = words.vector(r);
    for (let i = 0; i < dims; i++) centre[i]! += v[i]!;
  }
  let norm = 0;
  for (let i = 0; i < dims; i++) norm += centre[i]! * centre[i]!;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dims; i++) centre[i]! /= norm;
  const own = new Set(ranks);
  // Inflections: "sport" of "sports", "pet" of "pets", "activity" of "activities".
  const stems = category.map((w) => w.slice(0, Math.max(3, w.length - 3)));
  const out: string[] = [];
  const candidates = search
    .above(centre, config.vocabulary, config.minSimilarity)
    .sort((a, b) => b.similarity - a.similarity);
  for (const { rank } of candidates) {
    if (out.length >= config.neighbours) break;
    if (own.has(rank) || words.weight(rank) < 0.25) continue;
    const word = search.word(rank);
    if (!/^\p{L}+$/u.test(word) || stems.some((s) => word.startsWith(s))) continue;
    if (category.some((c) => c.startsWith(word))) continue;
    out.push(word);
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, out);
  return out;
}
