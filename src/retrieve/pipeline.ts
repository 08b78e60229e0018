import { pace } from '../core/pace.js';
import type { Memory } from '../core/types.js';
import type { Reranker } from '../rerank/types.js';
import type { ScopeFilter } from '../store/types.js';
import { findTypos, withCorrections } from '../text/typos.js';
import { boostPlaces } from './answer-type.js';
import { categoryNeighbours, categoryWords } from './category-expansion.js';
import { referencedSession } from './conversation.js';
import { boostEntityMentions, relationNames, relationWords } from './entity-expansion.js';
import { eventTimeList, fuseLists, type RetrievalMode, type RetrieveDeps, retrieveLists } from './hybrid.js';
import { inferenceTopic } from './inference.js';
import { contentQuery, planQuery } from './query-plan.js';
import { boostSpeakers, diversifyBySession, questionShape } from './question-shape.js';
import { rerankTop } from './rerank-stage.js';
import { applySignals, type ScoredMemory } from './signals.js';
import { softMatchScores, type WordVectors } from './soft-match.js';

export interface SearchDeps extends RetrieveDeps {
  /** Static word vectors for soft matching, or null. */
  words: WordVectors | null;
  /** Cross-encoder for the last stage, or null. */
  reranker: Reranker | null;
  /** Extra multiplicative factor per memory (decay, importance), 1 = neutral. */
  rankFactor?: (memory: Memory, now: Date) => number;
}

export interface SearchRequest {
  query: string;
  filter: ScopeFilter;
  k: number;
  mode: RetrievalMode;
  /** Reference time for the query's time expressions ("last week"). */
  now: Date;
  /** Use the reranker when there is one. Default true. */
  rerank?: boolean;
}

/**
 * The whole read path, best first: candidates (BM25, vectors, BM25 within the query's time ranges) fused →
 * the best `pool` loaded and re-scored by signals → optional cross-encoder over the top. Returns at most `k`.
 */
export async function searchMemories(deps: SearchDeps, req: SearchRequest): Promise<ScoredMemory[]> {
  const dictionary = deps.config.typoCorrection ? deps.words?.dictionary : undefined;
  const corrections = dictionary ? findTypos(req.query, dictionary) : [];
  // The corrected words join the query beside the misspelt ones, for every stage but the cross-encoder,
  // which reads subwords and is better served by what the user wrote.
  const corrected = withCorrections(req.query, corrections);
  const names = deps.config.relationBonus > 0 ? await relationNames(deps, corrected, req.filter) : [];
  const query = names.length > 0 ? `${corrected} ${names.join(' ')}` : corrected;
  // Planning reads every time expression of the query: 20-40 ms for 4,000 characters of dates.
  await pace();
  const plan = planQuery(query, req.now);
  const session = await referencedSession(deps.store, req.filter, plan);
  const shape = questionShape(req.query);
  const expansion = deps.config.categoryExpansion;
  const members =
    expansion.weight > 0 && deps.words && (shape === 'set' || !expansion.setOnly)
      ? categoryNeighbours(deps.words, categoryWords(req.query), expansion)
      : [];
  // What the lists and the soft match search for; the plan (names, time ranges) keeps the whole question.
  const searched =
    shape === 'inference' && deps.config.shapes.inferenceTopicOnly ? inferenceTopic(query) : query;
  // Planning a long query and searching for it are each tens of milliseconds at the limits (4,000 characters,
  // turns of 9,000): the loop turns between the steps whenever the slice is used up.
  await pace();
  const { lists, eventWindow, eventIndexed } = await retrieveLists(deps, {
    query: session !== null ? contentQuery(plan) : searched,
    filter: req.filter,
    k: req.k,
    mode: req.mode,
    plan,
    ...(session !== null ? { session } : {}),
    ...(members.length > 0 ? { categoryMembers: members } : {}),
  });
  const size = Math.max(req.k, deps.config.pool);
  let pool = withRangeMembers(fuseLists(lists, deps.config), size, deps.config.rangePool);
  if (pool.length === 0 && eventWindow.length === 0 && eventIndexed.length === 0) return [];
  // One load for the pool and the hits around the query's time ranges: the event-time list needs their
  // text. Adding that list only adds to scores, so the new pool holds loaded memories only.
  const ids = [...new Set([...pool, ...eventWindow, ...eventIndexed].map((c) => c.id))];
  await pace();
  const loaded = new Map((await deps.store.getMany(req.filter.tenant, ids)).map((m) => [m.id, m]));
  const events = eventTimeList(
    deps.config,
    { window: eventWindow, indexed: eventIndexed, lists },
    loaded,
    plan,
  );
  if (events)
    pool = withRangeMembers(fuseLists([...lists, events], deps.config), size, deps.config.rangePool);
  if (pool.length === 0) return [];
  const shapes = deps.config.shapes;
  const signals =
    shape === 'set' && shapes.setSessionWeight !== null
      ? { ...deps.config.signals, sessionWeight: shapes.setSessionWeight }
      : deps.config.signals;
  const context: Parameters<typeof applySignals>[2] = {
    query,
    now: req.now,
    config: signals,
    plan,
    words: deps.words,
    conversationSession: session,
  };
  if (deps.rankFactor) context.rankFactor = deps.rankFactor;
  if (signals.softMatchWeight > 0 && deps.words) {
    const inPool = pool.flatMap((c) => loaded.get(c.id) ?? []);
    context.softScores = await softMatchScores(deps.words, searched, inPool, signals.softMatchFloor);
    await pace();
  }
  let scored = applySignals(pool, loaded, context);
  if (shape === 'inference') {
    const { inferenceSpeakerBonus: bonus, inferenceSpeakerKeep: keep } = shapes;
    scored = boostSpeakers(scored, plan.names, bonus, 'inference', keep);
  }
  if (shape === 'set') {
    scored = boostSpeakers(scored, plan.names, shapes.setSpeakerBonus, 'setSpeaker', shapes.setSpeakerKeep);
  }
  if (shape === 'set') scored = diversifyBySession(scored, shapes.setSessionPenalty, req.k);
  scored = boostPlaces(scored, req.query, deps.config.placeBonus);
  if (corrections.length > 0) {
    const spelling = corrections.map((c) => `${c.word} → ${c.correction}`).join(', ');
    for (const s of scored) s.signals.spelling = spelling;
  }
  if (names.length > 0) {
    scored = boostEntityMentions(scored, [...names, ...relationWords(corrected)], deps.config.relationBonus);
    for (const s of scored) s.signals.relation = names.join(', ');
  }
  if (deps.reranker && req.rerank !== false) {
    scored = await rerankTop(deps.reranker, req.query, scored, deps.config.rerank);
  }
  return scored.slice(0, req.k);
}

/**
 * The best `size` fused candidates, and beyond them the best `rangeLimit` of the time-range list: a memory
 * said inside a range the query names earns the time-range bonus, which can lift it over any fused score, so
 * being cut before the signals run would hide it.
 */
function withRangeMembers(
  fused: ReturnType<typeof fuseLists>,
  size: number,
  rangeLimit: number,
): ReturnType<typeof fuseLists> {
  const head = fused.slice(0, size);
  if (rangeLimit <= 0) return head;
  const extra = fused
    .slice(size)
    .filter((c) => (c.signals.bm25InTimeRange?.rank ?? Number.POSITIVE_INFINITY) <= rangeLimit);
  return extra.length > 0 ? [...head, ...extra.map((c) => ({ ...c, beyondPool: true }))] : head;
}
