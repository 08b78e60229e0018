import type { HistoryAction, HistoryEntry, ListQuery, Memory, Page, Stats } from '../core/types.js';

/** What every query of a store is confined to. The tenant is mandatory: there is no cross-tenant read. */
export interface ScopeFilter {
  tenant: string;
  user?: string;
  agent?: string;
  session?: string;
  kinds?: string[];
  /** Default: only `active` memories. */
  statuses?: Memory['status'][];
  /** Default false: superseded memories (validTo set) are left out. */
  includeSuperseded?: boolean;
  /** Only memories valid at this instant (ISO). Overrides includeSuperseded. */
  asOf?: string;
  occurredFrom?: string;
  occurredTo?: string;
}

export interface TextSearchOptions {
  /** Default 0.25. 0 ignores the context column. */
  contextWeight?: number;
}

export interface ScoredId {
  id: string;
  score: number;
}

export interface VectorRecord {
  id: string;
  vector: Float32Array;
}

export interface Change {
  action: HistoryAction;
  actor: string;
}

/**
 * The persistence contract. SQLite implements it (the embedded default); a Postgres store can implement it for
 * scale-out. Every method is tenant-confined, and every multi-row write is atomic.
 */
export interface Store {
  readonly kind: string;
  /** Inserts fully formed memories (and their vectors, if given) with history, in one transaction. */
  insert(
    memories: Memory[],
    vectors: Map<string, { model: string; vector: Float32Array }>,
    change: Change,
  ): Promise<void>;
  get(tenant: string, id: string): Promise<Memory | null>;
  getMany(tenant: string, ids: string[]): Promise<Memory[]>;
  /** A memory in the scope whose text is exactly `text` (dedupe on add), or null. */
  findExact(filter: ScopeFilter, text: string): Promise<Memory | null>;
  list(tenant: string, query: ListQuery): Promise<Page<Memory>>;
  /**
   * Replaces a memory's fields with `next` (same id and tenant) and records `before`/`after` in history.
   * `vector` replaces the stored vector when given; `null` removes it.
   */
  replace(
    next: Memory,
    change: Change,
    vector?: { model: string; vector: Float32Array } | null,
  ): Promise<Memory>;
  /** Hard erase: removes rows, vectors, full-text entries and history text, then scrubs freed pages. */
  erase(tenant: string, target: { id?: string; user?: string }, actor: string): Promise<number>;
  history(tenant: string, id: string): Promise<HistoryEntry[]>;
  /**
   * BM25 over pre-analysed terms (any term may match); best first, higher score = better. `contextWeight`
   * weighs matches in a turn's context (speaker, neighbouring turns) against its own text (weight 1).
   */
  searchText(
    filter: ScopeFilter,
    terms: string[],
    limit: number,
    options?: TextSearchOptions,
  ): Promise<ScoredId[]>;
  /** Exact cosine search among vectors of `model` only; best first. */
  searchVector(filter: ScopeFilter, model: string, query: Float32Array, limit: number): Promise<ScoredId[]>;
  /** Distinct speaker names in a user's memories (at most 200), for query analysis. */
  speakers(tenant: string, user: string): Promise<string[]>;
  /** Records recall: accessCount += 1, lastAccessedAt, strength. No history entry. */
  touch(tenant: string, ids: string[], at: string, strengthBoost: number): Promise<void>;
  /**
   * After `erase`: whether the erased bytes are gone from storage, or why not yet (a store that finishes the
   * purge later, in the background). Stores that cannot tell leave it out.
   */
  purgeState?(): { purged: boolean; reason?: string };
  /** Memories of a tenant lacking a vector of `model` (for reindexing). */
  missingVectors(tenant: string, model: string, limit: number): Promise<Memory[]>;
  putVectors(tenant: string, model: string, records: VectorRecord[]): Promise<void>;
  /** Inserts memories as-is (ids kept) with an `import` history entry; all or nothing; fails on duplicate ids. */
  importMemories(memories: Memory[], actor: string): Promise<void>;
  stats(tenant: string): Promise<Stats>;
  close(): Promise<void>;
}
