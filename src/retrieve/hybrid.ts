import { pace } from '../core/pace.js';
import type { Memory } from '../core/types.js';
import type { Embedder } from '../embed/types.js';
import type {
  CommonTermsPlan,
  EventQuery,
  ScopeFilter,
  ScoredId,
  Store,
  TextQuery,
  VectorQuery,
} from '../store/types.js';
import {
  CATEGORY_LIST,
  type CategoryExpansionConfig,
  DEFAULT_CATEGORY_EXPANSION,
} from './category-expansion.js';
import { sessionCandidates } from './conversation.js';
import { EVENT_INDEX, EVENT_LIST, eventTimeHits, eventWindowFilters, timeCueTerms } from './event-times.js';
import {
  type FusedCandidate,
  normalizedScoreFusion,
  type RankedList,
  reciprocalRankFusion,
} from './fusion.js';
import type { QueryPlan, QueryTimeRange } from './query-plan.js';
import { DEFAULT_SHAPES, type ShapeConfig } from './question-shape.js';
import { DEFAULT_RERANK, type RerankConfig } from './rerank-stage.js';
import { DEFAULT_SIGNALS, type SignalConfig } from './signals.js';

export type RetrievalMode = 'hybrid' | 'bm25' | 'vector';

export interface RetrievalConfig {
  /** Candidates taken from each retriever before fusion. */
  candidates: number;
  fusion: 'rrf' | 'score';
  bm25Weight: number;
  vectorWeight: number;
  rrfK: number;
  /**
   * BM25 weight of a turn's context (speaker, neighbouring turns; src/retrieve/text-index.ts) relative to its
   * own text. The only default of it: the store has none.
   */
  contextWeight: number;
  /**
   * Speed plan for large scopes (CommonTermsPlan in src/store/types.ts), or null for the plain query. FTS5
   * scores every memory holding any query word, and "think" or "went" are in 40-70 % of a heavy user's
   * memories (with their neighbours' text): a word in half the table adds little to any score (its idf is at
   * its floor; docs/retrieval.md "BM25 statistics") but many matches to score, and a word in a fifth of it
   * says least in the neighbours' context. Both change the candidate list a little (docs/retrieval.md,
   * "Speed", has the recall check); smaller scopes, every LoCoMo conversation among them, keep the plain query.
   */
  commonTerms: CommonTermsPlan | null;
  /**
   * Weight of a third list when the query names a time ("last weekend", "in July 2023"): BM25 restricted to
   * memories inside the named ranges. The global lists rank by words alone, so the turn that answers "what did
   * Maria do on 16 June?" may not even be among their candidates; this list brings it in. 0 = off.
   */
  timeRangeListWeight: number;
  /**
   * Weight of a fourth list when the query names a time: memories whose event time (src/text/time/events.ts)
   * falls inside the named ranges though they were said elsewhere, found by the store's event index
   * (`eventIndexLimit`) and, when `eventWindowDays` > 0, by BM25 around the ranges; so "what did Maya do on
   * 4 December?" finds "I went to my first pottery class yesterday", said on 5 December. 0 = off.
   */
  eventTimeListWeight: number;
  /**
   * How far around a queried range said-times are searched by BM25 (query words and time cue words) for
   * events inside it (days, each side; 0 = no such search).
   */
  eventWindowDays: number;
  /**
   * Memories whose stored event time overlaps a queried range, asked of the store's event index (one list per
   * range, in the same `store.search`), however far from the range they were said: at most this many per
   * range join the event-time list (0 = off).
   */
  eventIndexLimit: number;
  /** How many fused candidates get their memory loaded and re-scored by signals. */
  pool: number;
  signals: SignalConfig;
  /** Pseudo-relevance feedback: expansion terms taken from the best BM25 hits (0 = off). */
  prfTerms: number;
  prfDocs: number;
  prfWeight: number;
  /**
   * Leave the names of the scope's speakers out of the BM25 query: in a conversation between two people their
   * names are everywhere and drown the words that matter; the speaker signal uses them instead.
   */
  dropSpeakerNames: boolean;
  /**
   * Correct query words the GloVe dictionary does not know ("torunament" → "tournament", added beside the
   * original; src/text/typos.ts). Needs the GloVe word vectors.
   */
  typoCorrection: boolean;
  /** Cross-encoder stage, used only when a reranker is configured. */
  rerank: RerankConfig;
  /** Ranking by question shape: set and inference questions (question-shape.ts). */
  shapes: ShapeConfig;
  /**
   * A relative named through its owner ("my sister") is searched by the name the memories give it too
   * ("Ana"), and memories that say the name or the relation in their own text gain this bonus:
   * entity-expansion.ts. 0 = off.
   */
  relationBonus: number;
  /** Set questions' category words expanded to their members over the word vectors (category-expansion.ts). */
  categoryExpansion: CategoryExpansionConfig;
  /**
   * Bonus for memories that name a place when the query asks for one ("Which country …?", "Where …?",
   * 哪个城市): answer-type.ts. 0 = off.
   */
  placeBonus: number;
}

export const DEFAULT_RETRIEVAL: RetrievalConfig = {
  candidates: 100,
  fusion: 'score',
  bm25Weight: 1,
  vectorWeight: 0.3,
  rrfK: 60,
  contextWeight: 0.75,
  commonTerms: { fromScopeRows: 20_000, dropShare: 0.5, ownTextShare: 0.2 },
  timeRangeListWeight: 0.3,
  eventTimeListWeight: 0.3,
  eventWindowDays: 0,
  eventIndexLimit: 50,
  pool: 60,
  signals: DEFAULT_SIGNALS,
  prfTerms: 0,
  prfDocs: 5,
  prfWeight: 0.3,
  dropSpeakerNames: false,
  typoCorrection: true,
  rerank: DEFAULT_RERANK,
  shapes: DEFAULT_SHAPES,
  relationBonus: 0.5,
  categoryExpansion: DEFAULT_CATEGORY_EXPANSION,
  placeBonus: 0.15,
};

export interface RetrieveRequest {
  query: string;
  filter: ScopeFilter;
  k: number;
  mode: RetrievalMode;
  /** Time ranges and other query facts; without it no time-range list is searched. */
  plan?: QueryPlan;
  /** The session the query refers to ("last time we talked"): its memories join the candidates. */
  session?: string;
  /** Members of the category a set question names ("soccer, basketball" for "sports"): one more BM25 list. */
  categoryMembers?: string[];
}

export interface RetrieveDeps {
  store: Store;
  embedder: Embedder | null;
  analyzeQuery: (text: string) => string[];
  /** The index-side analyzer, for feedback terms. */
  analyze: (text: string) => string[];
  config: RetrievalConfig;
}

/** Every candidate list of a search, before fusion, and the raw hits around the query's time ranges. */
export interface CandidateLists {
  lists: RankedList[];
  /**
   * Memories said near the queried ranges (BM25 over the query's terms and time cue words): the event-time
   * list is made of those whose event time lies inside a range, which needs their text, so the caller loads
   * them with the pool (`eventTimeList`) and fuses again.
   */
  eventWindow: ScoredId[];
  /** Memories whose stored event time overlaps a queried range (score: the overlap), loaded likewise. */
  eventIndexed: ScoredId[];
}

/**
 * Candidate generation (BM25 ∪ vector within the scope) and fusion; the event-time list costs one `getMany`
 * more here (the search pipeline loads it with the pool instead: `retrieveLists`).
 */
export async function retrieveCandidates(
  deps: RetrieveDeps,
  req: RetrieveRequest,
): Promise<FusedCandidate[]> {
  const { lists, eventWindow, eventIndexed } = await retrieveLists(deps, req);
  if (eventWindow.length > 0 || eventIndexed.length > 0) {
    const memories = await deps.store.getMany(req.filter.tenant, [
      ...new Set([...eventWindow, ...eventIndexed].map((h) => h.id)),
    ]);
    const list = eventTimeList(
      deps.config,
      { window: eventWindow, indexed: eventIndexed, lists },
      new Map(memories.map((m) => [m.id, m])),
      req.plan,
    );
    if (list) lists.push(list);
  }
  return fuseLists(lists, deps.config);
}

export function fuseLists(lists: RankedList[], config: RetrievalConfig): FusedCandidate[] {
  return config.fusion === 'rrf' ? reciprocalRankFusion(lists, config.rrfK) : normalizedScoreFusion(lists);
}

/**
 * The event-time list from the loaded window and index hits, or null when none has an event in a queried
 * range. `lists` are the other candidate lists: a memory the index found gets its BM25 score from them.
 */
export function eventTimeList(
  config: RetrievalConfig,
  found: { window: readonly ScoredId[]; indexed: readonly ScoredId[]; lists: readonly RankedList[] },
  memories: ReadonlyMap<string, Memory>,
  plan: QueryPlan | undefined,
): RankedList | null {
  const bm25 = found.lists.find((l) => l.name === 'bm25')?.hits ?? [];
  const hits = eventTimeHits(found.window, memories, plan?.ranges ?? [], { indexed: found.indexed, bm25 });
  return hits.length > 0 ? { name: 'eventTime', weight: config.eventTimeListWeight, hits } : null;
}

/**
 * The candidate lists of a search (BM25 ∪ vector within the scope, BM25 in the named time ranges, the
 * referred session), from one `store.search` call; feedback terms (prfTerms > 0) cost a `getMany` and a
 * second search, dropped speaker names (dropSpeakerNames) a `speakers` call first.
 */
export async function retrieveLists(deps: RetrieveDeps, req: RetrieveRequest): Promise<CandidateLists> {
  const { store, embedder, config } = deps;
  const n = Math.max(config.candidates, req.k);
  const text: TextQuery[] = [];
  const vector: VectorQuery[] = [];
  let terms: string[] = [];
  const ranges = req.plan?.ranges ?? [];
  if (req.mode !== 'vector') {
    terms = deps.analyzeQuery(req.query);
    if (config.dropSpeakerNames && req.filter.user !== undefined) {
      const names = new Set(
        deps.analyze((await store.speakers(req.filter.tenant, req.filter.user)).join(' ')),
      );
      const content = terms.filter((t) => !names.has(t));
      if (content.length > 0) terms = content;
    }
    text.push(textQuery('bm25', req.filter, terms, n, config, true));
    if (config.timeRangeListWeight > 0) {
      rangeFilters(req.filter, ranges).forEach((filter, i) => {
        text.push(textQuery(`${RANGE_LIST}${i}`, filter, terms, n, config, false));
      });
    }
    const members = req.categoryMembers ?? [];
    if (config.categoryExpansion.weight > 0 && members.length > 0) {
      const memberTerms = deps.analyzeQuery(members.join(' '));
      const listTerms = config.categoryExpansion.withQuery
        ? [...new Set([...terms, ...memberTerms])]
        : memberTerms;
      text.push(textQuery(CATEGORY_LIST, req.filter, listTerms, n, config, true));
    }
    if (config.eventTimeListWeight > 0 && ranges.length > 0 && config.eventWindowDays > 0) {
      const eventTerms = [...new Set([...terms, ...timeCueTerms(deps.analyzeQuery)])];
      eventWindowFilters(req.filter, ranges, config.eventWindowDays).forEach((filter, i) => {
        text.push(textQuery(`${EVENT_LIST}${i}`, filter, eventTerms, n, config, false));
      });
    }
  }
  const event: EventQuery[] = [];
  if (req.mode !== 'vector' && config.eventTimeListWeight > 0 && config.eventIndexLimit > 0) {
    ranges.forEach((r, i) => {
      event.push({
        name: `${EVENT_INDEX}${i}`,
        filter: req.filter,
        from: new Date(r.start).toISOString(),
        to: new Date(r.end).toISOString(),
        limit: config.eventIndexLimit,
      });
    });
  }
  if (req.mode !== 'bm25' && embedder) {
    await pace();
    const [qv] = await embedder.embed([req.query], { kind: 'query' });
    if (qv?.some((x) => x !== 0)) {
      vector.push({ name: 'vector', filter: req.filter, model: embedder.id, vector: qv, limit: n });
    }
  }
  if (text.length === 0 && vector.length === 0 && event.length === 0) {
    return { lists: [], eventWindow: [], eventIndexed: [] };
  }
  await pace();
  const { lists: found } = await store.search({ text, vector, ...(event.length > 0 ? { event } : {}) });
  await pace();
  const lists: RankedList[] = [];
  let eventWindow: ScoredId[] = [];
  if (req.mode !== 'vector') {
    const hits = found.bm25 ?? [];
    lists.push({ name: 'bm25', weight: config.bm25Weight, hits });
    const inRanges = text.filter((q) => q.name.startsWith(RANGE_LIST)).map((q) => found[q.name] ?? []);
    if (config.timeRangeListWeight > 0 && ranges.length > 0) {
      lists.push({
        name: 'bm25InTimeRange',
        weight: config.timeRangeListWeight,
        hits: mergeBest(inRanges, n),
      });
    }
    if (found[CATEGORY_LIST]) {
      lists.push({
        name: CATEGORY_LIST,
        weight: config.categoryExpansion.weight,
        hits: found[CATEGORY_LIST],
      });
    }
    const inWindows = text.filter((q) => q.name.startsWith(EVENT_LIST)).map((q) => found[q.name] ?? []);
    eventWindow = mergeBest(inWindows, EVENT_WINDOW_LOAD);
    if (config.prfTerms > 0 && hits.length > 0) {
      const expansion = await feedbackTerms(
        deps,
        req.filter.tenant,
        hits.slice(0, config.prfDocs),
        new Set(terms),
      );
      if (expansion.length > 0) {
        const prf = textQuery('prf', req.filter, [...terms, ...expansion], n, config, true);
        const again = await store.search({ text: [prf], vector: [] });
        lists.push({ name: 'prf', weight: config.prfWeight, hits: again.lists.prf ?? [] });
      }
    }
  }
  if (vector.length > 0)
    lists.push({ name: 'vector', weight: config.vectorWeight, hits: found.vector ?? [] });
  if (req.session !== undefined) {
    lists.push({
      name: 'conversation',
      weight: config.bm25Weight,
      hits: await sessionCandidates(store, req.filter, req.session, config.pool),
    });
  }
  const eventIndexed = mergeBest(
    event.map((q) => found[q.name] ?? []),
    config.eventIndexLimit,
  );
  return { lists, eventWindow, eventIndexed };
}

/** Window hits loaded for the event-time list: the best by BM25, beside the pool. */
const EVENT_WINDOW_LOAD = 60;
const RANGE_LIST = 'bm25InTimeRange:';

function textQuery(
  name: string,
  filter: ScopeFilter,
  terms: string[],
  limit: number,
  config: RetrievalConfig,
  plain: boolean,
): TextQuery {
  const q: TextQuery = { name, filter, terms, contextWeight: config.contextWeight, limit };
  // A time range bounds the scan already; the common-terms plan is for the unbounded lists.
  if (plain && config.commonTerms) q.commonTerms = config.commonTerms;
  return q;
}

/** The scope narrowed to each time range (intersected with the scope's own bounds); empty ranges left out. */
function rangeFilters(filter: ScopeFilter, ranges: readonly QueryTimeRange[]): ScopeFilter[] {
  const out: ScopeFilter[] = [];
  for (const r of ranges) {
    let from = new Date(r.start).toISOString();
    let to = new Date(r.end).toISOString();
    if (filter.occurredFrom !== undefined && filter.occurredFrom > from) from = filter.occurredFrom;
    if (filter.occurredTo !== undefined && filter.occurredTo < to) to = filter.occurredTo;
    if (from < to) out.push({ ...filter, occurredFrom: from, occurredTo: to });
  }
  return out;
}

/** Lists merged by each id's best score, best first. */
function mergeBest(lists: ScoredId[][], limit: number): ScoredId[] {
  const best = new Map<string, number>();
  for (const hits of lists) {
    for (const h of hits) best.set(h.id, Math.max(best.get(h.id) ?? Number.NEGATIVE_INFINITY, h.score));
  }
  return [...best]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

/**
 * RM3-style feedback: the terms that weigh most in the best hits (weighted by each hit's share of the top
 * score and the term's share of the hit) and are not in the query already.
 */
async function feedbackTerms(
  deps: RetrieveDeps,
  tenant: string,
  top: { id: string; score: number }[],
  queryTerms: Set<string>,
): Promise<string[]> {
  const memories = await deps.store.getMany(
    tenant,
    top.map((h) => h.id),
  );
  const best = top[0]!.score;
  const weights = new Map<string, number>();
  memories.forEach((m, i) => {
    const terms = deps.analyze(m.text);
    if (terms.length === 0) return;
    const docWeight = top[i]!.score / best;
    for (const t of terms) {
      if (queryTerms.has(t) || t.length < 3) continue;
      weights.set(t, (weights.get(t) ?? 0) + docWeight / terms.length);
    }
  });
  return [...weights.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, deps.config.prfTerms)
    .map(([t]) => t);
}
