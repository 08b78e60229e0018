/**
 * Synthetic memories for the perf benchmark: deterministic (seeded), with realistic lengths (log-normal
 * around the length of a chat turn), a Zipf word distribution over everyday words plus a long tail of rare
 * names, and many users of unequal size (a few heavy users, many light ones), as a real deployment has;
 * or, with `users: 1`, every memory in one user's scope.
 */
import { CONTENT_WORDS, FUNCTION_WORDS, OPENERS, QUESTION_OPENERS, SYLLABLES } from './synthetic-words.js';

/** mulberry32: small, fast and good enough to make workloads reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Samples ranks 0..n-1 with P(rank) ∝ 1 / (rank + 1 + q)^s (Zipf–Mandelbrot), by binary search over the
 * cumulative weights. The offset `q` flattens the head: a short word list stands for the top of a vocabulary
 * of many thousands, whose most frequent content word is about 1–2 % of content words, not 15 %.
 */
export function zipfSampler(n: number, s: number, random: () => number, q = 0): () => number {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / (i + 1 + q) ** s;
    cumulative[i] = sum;
  }
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface SyntheticMemory {
  user: string;
  session: string;
  text: string;
  occurredAt: string;
}

export interface SyntheticQuery {
  user: string;
  text: string;
}

export interface SyntheticWorkload {
  memories: SyntheticMemory[];
  queries: SyntheticQuery[];
  users: number;
  /** Memories of the largest user: what a single scoped search has to rank at most. */
  largestUser: number;
  meanWords: number;
}

export interface WorkloadOptions {
  size: number;
  queries: number;
  seed?: number;
  /** Mean memories per user. Default 200. */
  perUser?: number;
  /**
   * Exact number of users, overriding `perUser`: 1 puts every memory in one user's scope (one long
   * conversation, or one heavy user's whole memory).
   */
  users?: number;
}

const RARE_WORDS = 20_000;
const RARE_SHARE = 0.07;
const START = Date.UTC(2023, 0, 1);
const SPAN_MS = 2 * 365 * 24 * 3600 * 1000;

export function syntheticWorkload(options: WorkloadOptions): SyntheticWorkload {
  const random = seededRandom(options.seed ?? 42);
  const common = zipfSampler(CONTENT_WORDS.length, 1, random, 15);
  const rare = rareWords(RARE_WORDS, random);
  const rareRank = zipfSampler(rare.length, 1, random);
  // About one content word in fourteen is a rare one (a name, a place, a brand), as in chat.
  const content = () => (random() < RARE_SHARE ? rare[rareRank()]! : CONTENT_WORDS[common()]!);
  const functional = zipfSampler(FUNCTION_WORDS.length, 1, random);
  const users = Math.max(1, options.users ?? Math.round(options.size / (options.perUser ?? 200)));
  // User sizes follow a gentler Zipf: some users talk a lot more than others.
  const userOf = zipfSampler(users, 0.8, random);
  const counts = new Array<number>(users).fill(0);
  const memories: SyntheticMemory[] = [];
  let words = 0;
  for (let i = 0; i < options.size; i++) {
    const u = userOf();
    counts[u]!++;
    const text = memoryText(random, content, functional);
    words += text.split(' ').length;
    memories.push({
      user: `user-${u}`,
      session: `s-${u}-${Math.floor(counts[u]! / 20)}`,
      text,
      occurredAt: new Date(START + Math.floor(random() * SPAN_MS)).toISOString(),
    });
  }
  const byUser = new Map<string, SyntheticMemory[]>();
  for (const m of memories) {
    const list = byUser.get(m.user) ?? [];
    list.push(m);
    byUser.set(m.user, list);
  }
  const queries: SyntheticQuery[] = [];
  for (let i = 0; i < options.queries; i++) {
    // Users are asked about in proportion to how much they have stored, as active users also search more.
    const m = memories[Math.floor(random() * memories.length)]!;
    queries.push({ user: m.user, text: queryAbout(m.text, random) });
  }
  return {
    memories,
    queries,
    users: byUser.size,
    largestUser: Math.max(...counts),
    meanWords: memories.length > 0 ? words / memories.length : 0,
  };
}

function rareWords(n: number, random: () => number): string[] {
  const out = new Set<string>();
  while (out.size < n) {
    const parts = 2 + Math.floor(random() * 2);
    let w = '';
    for (let i = 0; i < parts; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    out.add(w);
  }
  return [...out];
}

/** Chat-turn lengths: log-normal with a median of about 16 words, clamped to 3..120. */
function wordCount(random: () => number): number {
  const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.min(120, Math.max(3, Math.round(Math.exp(Math.log(16) + 0.6 * gaussian))));
}

function memoryText(random: () => number, content: () => string, functional: () => number): string {
  const target = wordCount(random);
  const words: string[] = [];
  while (words.length < target) {
    const opener = OPENERS[Math.floor(random() * OPENERS.length)]!;
    const sentence = opener.split(' ');
    const length = 5 + Math.floor(random() * 10);
    while (sentence.length < length) {
      sentence.push(random() < 0.4 ? FUNCTION_WORDS[functional()]! : content());
    }
    if (random() < 0.08) sentence.push(String(1 + Math.floor(random() * 30)));
    const end = random() < 0.15 ? '!' : random() < 0.1 ? '?' : '.';
    sentence[sentence.length - 1] += end;
    words.push(...sentence);
  }
  return words.join(' ');
}

/** A question that shares two or three content words with a stored memory, as a real recall query would. */
function queryAbout(text: string, random: () => number): string {
  const candidates = text
    .replace(/[.!?,]/g, '')
    .split(' ')
    .filter((w) => w.length > 3 && !FUNCTION_WORDS.includes(w) && /^[a-z]+$/.test(w));
  const picked: string[] = [];
  const n = Math.min(candidates.length, 2 + Math.floor(random() * 2));
  for (let i = 0; i < n; i++) picked.push(candidates[Math.floor(random() * candidates.length)]!);
  const opener = QUESTION_OPENERS[Math.floor(random() * QUESTION_OPENERS.length)]!;
  return `${opener} ${picked.length > 0 ? [...new Set(picked)].join(' ') : 'that'}?`;
}
