import type {
  EventTime,
  HistoryEntry,
  ListQuery,
  Memory,
  MemoryInput,
  MemoryKind,
  MemoryPatch,
  Page,
  Stats,
} from '../core/types.js';
import type { Embedder } from '../embed/types.js';
import type { LlmClient } from '../llm/types.js';
import type { Reranker } from '../rerank/types.js';
import type { Store } from '../store/types.js';
import type {
  BuildContextOptions,
  BuiltContext,
  ConversationResult,
  EntitiesOptions,
  EntityProfile,
  EntitySummary,
  MaintainOptions,
  MaintainReport,
  ProfileOptions,
} from './lifecycle/index.js';

export interface OpenOptions {
  /** SQLite file path, or ":memory:". Default: $ENGRAM_DB or ./engram.db. Ignored when `store` is given. */
  path?: string;
  /** A ready store (e.g. Postgres). */
  store?: Store;
  /** Default "default". Every operation of the returned handle is confined to this tenant. */
  tenant?: string;
  /** Recorded in history as who made a change. Default "library". */
  actor?: string;
  /** Embedder instance, or "glove" (default), or "none" for BM25 only. */
  embedder?: Embedder | 'glove' | 'none';
  reranker?: Reranker;
  /**
   * Chat model for fact extraction, conflict judgement, session summaries and `ask`: a client, or a spec
   * string `openai:<base-url>#<model>` (key from $ENGRAM_LLM_KEY or $OPENAI_API_KEY). Default: none.
   */
  llm?: LlmClient | string;
  /** Largest accepted memory text, in characters. Default 32_000. */
  maxTextLength?: number;
  /**
   * MiB of per-user vector matrices the SQLite store keeps in memory (least recently searched users are
   * dropped beyond it and reloaded on their next search). Default 512. Ignored when `store` is given.
   */
  vectorCacheMb?: number;
  /** Overrides of the retrieval configuration (candidates, fusion, weights). */
  retrieval?: Partial<import('../retrieve/hybrid.js').RetrievalConfig>;
  /** How importance and decayed strength adjust ranking (see docs/memory-model.md). */
  rankWeights?: Partial<import('./lifecycle/index.js').RankWeights>;
  /** Clock, for tests. */
  now?: () => Date;
}

export interface SearchOptions {
  user: string;
  agent?: string;
  session?: string;
  kind?: MemoryKind | MemoryKind[];
  /** Number of hits. Default 10. */
  k?: number;
  /** Reference time for relative expressions ("last week") and recency. Default: now. */
  now?: string | Date;
  /** Return facts that have been superseded too. */
  includeSuperseded?: boolean;
  includeArchived?: boolean;
  /** Only memories valid at this time ("where did I live in 2022?"). */
  asOf?: string | Date;
  /** Attach a per-hit score breakdown. */
  explain?: boolean;
  /** Record the recall (access count, strength). Default true. */
  reinforce?: boolean;
  /** Use the configured cross-encoder reranker (default true when one is configured). */
  rerank?: boolean;
  /** Which retrievers to use. Default "hybrid" (BM25 and vectors, fused). */
  mode?: 'hybrid' | 'bm25' | 'vector';
}

export interface ScoreBreakdown {
  bm25?: { rank: number; score: number };
  vector?: { rank: number; score: number };
  fused: number;
  /** Query words corrected before searching, e.g. "torunament → tournament" (src/text/typos.ts). */
  spelling?: string;
  [signal: string]: unknown;
}

export interface SearchHit {
  id: string;
  text: string;
  score: number;
  kind: MemoryKind;
  speaker: string | null;
  session: string | null;
  occurredAt: string;
  metadata: Record<string, unknown>;
  /** When what it tells about happened (see Memory.eventTimes); empty when it names no date. */
  eventTimes: EventTime[];
  memory: Memory;
  explain?: ScoreBreakdown;
}

export interface ConversationMessage {
  speaker?: string;
  role?: string;
  text: string;
  at?: string | Date;
  metadata?: Record<string, unknown>;
}

export interface ConversationInput {
  user: string;
  agent?: string;
  session: string;
  messages: ConversationMessage[];
}

export interface EraseTarget {
  id?: string;
  user?: string;
}

/** What `addWithOutcome` did with one input: stored it new, or found it restated word for word. */
export interface AddOutcome {
  memory: Memory;
  /** True when the text was already stored for the same user, agent and kind (see lifecycle/restate.ts). */
  restated: boolean;
}

export interface EraseResult {
  erased: number;
  /**
   * True when the erased text is gone from storage; false when a reader holds the purge back (`reason` says
   * so), in which case it completes on its own as soon as that reader finishes. Absent for stores that
   * cannot tell.
   */
  purged?: boolean;
  reason?: string;
}

export interface ImportResult {
  imported: number;
}

/** The public handle returned by `open()`. */
export interface Engram {
  readonly tenant: string;
  add(input: MemoryInput): Promise<Memory>;
  addMany(
    inputs: MemoryInput[],
    options?: { onProgress?: (done: number, total: number) => void },
  ): Promise<Memory[]>;
  /** As addMany, saying for each input whether it was new or a restatement of a stored memory. */
  addWithOutcome(
    inputs: MemoryInput[],
    options?: { onProgress?: (done: number, total: number) => void },
  ): Promise<AddOutcome[]>;
  /**
   * Stores the turns (always, first), then facts derived from them. `llmFallbacks` lists LLM work that
   * failed and was done offline instead; the affected turns are marked for `maintain` to redo.
   */
  addConversation(input: ConversationInput): Promise<ConversationResult>;
  search(query: string, options: SearchOptions): Promise<SearchHit[]>;
  get(id: string): Promise<Memory>;
  list(query: ListQuery): Promise<Page<Memory>>;
  update(id: string, patch: MemoryPatch): Promise<Memory>;
  delete(id: string): Promise<Memory>;
  erase(target: EraseTarget): Promise<EraseResult>;
  history(id: string): Promise<HistoryEntry[]>;
  /** JSONL lines, one memory per line, every field. */
  export(query?: { user?: string }): AsyncIterable<string>;
  /**
   * All-or-nothing; malformed lines are reported with their line number. The JSONL may come in chunks (as read
   * from a stream), split anywhere between characters.
   */
  import(jsonl: string | readonly string[]): Promise<ImportResult>;
  stats(): Promise<Stats>;
  /**
   * Answers a question from memory with the configured LLM, citing the memory ids it used. Throws
   * LLM_NOT_CONFIGURED without an LLM, LLM_ERROR / TIMEOUT when the model fails.
   */
  ask(options: import('./ask.js').AskOptions): Promise<import('./ask.js').AskResult>;
  /** A prompt-ready block: current facts, then supporting turns, then summaries, within a token budget. */
  buildContext(options: BuildContextOptions): Promise<BuiltContext>;
  /** Merges duplicates, archives faded memories, enforces TTLs, writes session summaries. */
  maintain(options?: MaintainOptions): Promise<MaintainReport>;
  /** The people, places, organisations, pets, works and activities a user's memories mention. */
  entities(options: EntitiesOptions): Promise<EntitySummary[]>;
  /** One entity in full: current and superseded facts, a timeline of mentions, related entities. */
  profile(options: ProfileOptions): Promise<EntityProfile>;
  /** Embeds every memory lacking a vector of the current embedder's model. */
  reindex(options?: { onProgress?: (done: number, total: number) => void; batchSize?: number }): Promise<{
    embedded: number;
    model: string | null;
  }>;
  /** A handle on the same store, confined to another tenant and/or actor. */
  /**
   * `recordRecalls: false` makes a read-only handle: its searches and contexts do not record recalls
   * (accessCount, lastAccessedAt, strength stay as they are), whatever `reinforce` says.
   */
  withContext(ctx: { tenant?: string; actor?: string; recordRecalls?: boolean }): Engram;
  close(): Promise<void>;
}
