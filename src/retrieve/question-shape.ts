/**
 * The shape of a question, as far as ranking cares:
 *
 * - `set`: the answer is a collection spread over time ("What activities does Ana do?", "Which books has she
 *   read?", "Where has Tom camped?", "How many times …", "哪些…", "都…过什么"). Each piece is usually said
 *   in a different conversation, so the top hits should cover sessions rather than repeat the best one.
 * - `inference`: the answer is not stated but follows from what a person likes and values ("Would Ana likely
 *   enjoy …?", "What might Tom's … be?", "Is Ana likely to …"). The person's own words weigh more than
 *   the literal match of the question.
 * - `plain`: everything else.
 */
export type QuestionShape = 'set' | 'inference' | 'plain';

export interface ShapeConfig {
  /** Score a set question's hit loses for each hit of its session ranked above it (0 = off). */
  setSessionPenalty: number;
  /** Bonus for memories said by the person an inference question is about (0 = off). */
  inferenceSpeakerBonus: number;
  /**
   * Session weight for set questions (signals.sessionWeight for the others): the session bonus lifts the
   * best session's turns together, which is what a set question does not want. null = the same as others.
   */
  setSessionWeight: number | null;
  /**
   * Bonus for memories said by the person a set question names ("What activities does Ana do?"): the pieces
   * of her set are mostly her own words (0 = off).
   */
  setSpeakerBonus: number;
  /**
   * Hits at the top that the speaker bonus of an inference / a set question leaves in place: the best literal
   * matches keep their places, the person's own words fill the places after them.
   */
  inferenceSpeakerKeep: number;
  setSpeakerKeep: number;
  /**
   * Inference questions search (BM25, vectors, soft match) without their words of taste ("Would Ana enjoy
   * …" → "Would Ana … "; inference.ts): those words match every turn that likes anything.
   */
  inferenceTopicOnly: boolean;
}

/** Measured on LoCoMo and MemoryBank (docs/retrieval.md, "Entities, question shapes …"). */
export const DEFAULT_SHAPES: ShapeConfig = {
  setSessionPenalty: 0,
  // The person's own words after the best literal match: open-domain turnRecall@10 +0.045. On the whole list
  // (keep 0) the same bonus cost open-domain a first hit.
  inferenceSpeakerBonus: 0.3,
  inferenceSpeakerKeep: 1,
  setSessionWeight: null,
  // A light lift for the named person's words below the five best matches: multi-hop turnRecall@10 +0.03.
  // Higher, or over the top five, it costs adversarial questions, which name the other person.
  setSpeakerBonus: 0.1,
  setSpeakerKeep: 5,
  // Open-domain turnRecall@10 0.445 -> 0.468 (tuning 0.447 -> 0.500, held-out 0.443 =), nothing lower.
  inferenceTopicOnly: true,
};

const WH_NOT_NOUN = new Set([
  'is',
  'was',
  'does',
  'has',
  'this',
  'his',
  'its',
  'us',
  'yes',
  'as',
  'makes',
  'keeps',
  'gives',
  'takes',
  'gets',
  'causes',
  'motivates',
  'inspires',
  'helps',
]);
/** "What activities", "Which LGBTQ+ events", "What kinds of art": a plural noun right after what/which. */
const WH_WORDS = /^(?:in\s+)?(?:what|which)\s+([\w+/-]+)(?:\s+([\w+/-]+))?/i;
const WH_KIND = /^(?:in\s+)?(?:what|which)\s+(?:kinds?|types?|sorts?|ways)\b/i;
/** "What has Tom painted?", "Where have they travelled?": the perfect asks for everything up to now. */
const PERFECT =
  /^(?:what|which|where|who|how)\b[^?]*?\b(?:has|have)\s+(?:\p{Lu}[\p{L}'-]*|she|he|they|you|i|we)\b/iu;
const COUNT = /\bhow\s+many\s+(?:times|\w+s)\b|\bhow\s+often\b/i;
const PLURAL_BE = /^(?:what|which|who)\s+(?:are|were)\b/i;
const ZH_SET = /哪些|哪几|都.{0,8}?(?:过|了)什么|几次|多少次|有什么爱好|做过什么|去过哪/u;

const INFERENCE_EN =
  /^(?:would|could|might|will)\s+(?:\p{Lu}[\p{L}'-]*|she|he|they)\b|\b(?:likely|probably|might|would)\b.*\?|\bwhat\s+(?:might|would|could)\b/iu;
const ZH_INFERENCE = /会不会|可能会|大概会|是否会|应该会|会喜欢|可能喜欢/u;

export function questionShape(query: string): QuestionShape {
  const q = query.trim();
  if (ZH_INFERENCE.test(q)) return 'inference';
  if (ZH_SET.test(q)) return 'set';
  if (INFERENCE_EN.test(q)) return 'inference';
  if (COUNT.test(q) || PLURAL_BE.test(q) || WH_KIND.test(q) || PERFECT.test(q)) return 'set';
  // The noun right after what/which, or after one modifier ("What LGBTQ+ events"), in the plural.
  const m = WH_WORDS.exec(q);
  if (m) {
    const first = m[1]!.toLowerCase();
    const second = m[2]?.toLowerCase();
    if (isPluralNoun(first)) return 'set';
    if (second && !WH_NOT_NOUN.has(first) && !AUXILIARY.has(first) && isPluralNoun(second)) return 'set';
  }
  return 'plain';
}

/** Auxiliary verbs: after what/which they start a question, they name no category. */
export const AUXILIARY: ReadonlySet<string> = new Set([
  'do',
  'did',
  'does',
  'is',
  'was',
  'are',
  'were',
  'has',
  'have',
  'had',
  'can',
  'could',
  'would',
  'will',
  'should',
  'might',
]);

function isPluralNoun(word: string): boolean {
  const last = word.split('/').at(-1)!;
  return /^[a-z]+s$/.test(last) && !last.endsWith('ss') && !WH_NOT_NOUN.has(last);
}

export interface Ranked {
  score: number;
  memory: { session: string | null };
  signals: Record<string, unknown>;
}

/**
 * Coverage over redundancy (maximal marginal relevance with "same session" as the similarity): the first
 * `depth` results are picked greedily, each memory losing `penalty` of score for every memory of its session
 * already picked. Below `depth` the order is unchanged.
 */
export function diversifyBySession<T extends Ranked>(ranked: T[], penalty: number, depth: number): T[] {
  if (penalty <= 0 || ranked.length < 2) return ranked;
  const rest = [...ranked];
  const picked: T[] = [];
  const perSession = new Map<string, number>();
  while (picked.length < depth && rest.length > 0) {
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < rest.length; i++) {
      const s = rest[i]!;
      const seen = s.memory.session === null ? 0 : (perSession.get(s.memory.session) ?? 0);
      const adjusted = s.score - penalty * seen;
      if (adjusted > bestScore) {
        bestScore = adjusted;
        best = i;
      }
    }
    const [next] = rest.splice(best, 1);
    const session = next!.memory.session;
    if (session !== null) perSession.set(session, (perSession.get(session) ?? 0) + 1);
    picked.push(next!);
  }
  return [...picked, ...rest];
}

/**
 * The memories said by someone the question names move up by `bonus` (signal `label`), and the list is
 * re-sorted; the first `keep` hits stay where they are (the best literal match keeps its place, the person's
 * own words fill the places after it).
 */
export function boostSpeakers<T extends Ranked & { memory: { speaker: string | null } }>(
  ranked: T[],
  names: ReadonlySet<string>,
  bonus: number,
  label = 'inference',
  keep = 0,
): T[] {
  if (bonus <= 0 || names.size === 0) return ranked;
  const head = ranked.slice(0, keep);
  const rest = ranked.slice(keep);
  for (const s of rest) {
    const speaker = s.memory.speaker?.toLowerCase();
    if (speaker && (names.has(speaker) || speaker.split(/\s+/).some((w) => names.has(w)))) {
      s.score += bonus;
      s.signals[label] = bonus;
    }
  }
  return [...head, ...rest.sort((a, b) => b.score - a.score)];
}
