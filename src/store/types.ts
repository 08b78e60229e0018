import type { HistoryAction, HistoryEntry, ListQuery, Memory, Page, Stats } from '../core/types.js';

/**
 * The persistence boundary. A store stores and finds; retrieval (src/retrieve/) decides what to ask for and
 * how to weigh it, and the engine (src/memory/) decides what to write. Every method is tenant-confined.
 *
 * Round trips (each method call is one; on PostgreSQL one network round trip or one transaction):
 * - a search is `search` (every text and vector list at once) + `getMany` (the fused pool) +
 *   `recordAccess` (when the caller reinforces) = 3 calls whatever the query;
 * - a write of the engine (addConversation, addMany, update, maintain) is reads first, then one `apply`.
 */

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

export interface ScoredId {
  id: string;
  score: number;
}

/** A vector as stored: the embedding model's id and its values. */
export interface StoredVector {
  model: string;
  vector: Float32Array;
}

export interface VectorRecord {
  id: string;
  vector: Float32Array;
}

export interface Change {
  action: HistoryAction;
  actor: string;
}

// ---------------------------------------------------------------------------------------------- text index

/** The fields of a memory the text index reads. */
export type IndexedMemory = Pick<Memory, 'id' | 'kind' | 'speaker' | 'text' | 'status' | 'session'>;

/**
 * What a memory contributes to the lexical index, decided by retrieval (src/retrieve/text-index.ts) and
 * applied identically by every backend, so that all of them index the same tokens and rank alike.
 *
 * Each memory has two token lists: `own` (its text) and `context` (for a conversation turn: its speaker and
 * the neighbouring turns). The store finds the neighbours itself, inside the write transaction, because
 * they change when a turn is appended, edited, deleted, superseded or erased — possibly by another server
 * at the same moment — and a caller's earlier read could be stale. The neighbours of a memory are: when it
 * is a turn (`kind = 'turn'`) with a session, the nearest turn before and the nearest turn after it in
 * write order within the same tenant, user and session, that is not deleted and not superseded (at most
 * one on each side). Whenever a row's neighbours change, the store re-computes that row's entry.
 */
export interface TextIndexer {
  /**
   * Names the token format. A store records it and re-indexes every row on open when it differs (replaying
   * rows in write order, each seeing only the rows written before it, as when they were first written).
   */
  readonly version: string;
  /** Tokens of the memory's own text. */
  own(memory: IndexedMemory): string[];
  /** Tokens of its context, given its neighbours (0–2 turns, earlier first; none for non-turns). */
  context(memory: IndexedMemory, neighbours: IndexedMemory[]): string[];
}

// ---------------------------------------------------------------------------------------------- event times

/** One event range of a memory as stored: UTC calendar days [start, end), YYYY-MM-DD. */
export interface StoredEventTime {
  start: string;
  end: string;
  granularity: string;
}

/**
 * Ranges longer than this many days are not kept: a search bounds its index scan by it (an event that long
 * says nothing about a day anyway).
 */
export const MAX_EVENT_DAYS = 400;

/**
 * When the things a memory tells about happened (src/text/time/events.ts, given by the engine), kept in
 * rows beside the memory and indexed by (tenant, user, start day), as the TextIndexer's tokens are: the
 * store writes them in the transaction of every insert, replace and import, removes them with the memory
 * (erase, and a replace to status `deleted`), and re-computes every row on open when `version` differs from
 * the one the database was written with (which also fills them in for memories stored before they existed).
 */
export interface EventTimeIndexer {
  readonly version: string;
  events(memory: Pick<Memory, 'text' | 'occurredAt' | 'kind'>): StoredEventTime[];
}

// ---------------------------------------------------------------------------------------------- search

/**
 * One BM25 list: any term may match; higher score = better. Scores are BM25 over `own` (weight 1) plus
 * `context` (weight `contextWeight`), with collection statistics of the whole table (documented per backend).
 */
export interface TextQuery {
  /** Names the list in the result; unique within a request. */
  name: string;
  filter: ScopeFilter;
  /** Query terms, already analysed (same analyzer family as the indexer's). Empty = empty list. */
  terms: string[];
  /** Weight of context matches relative to own-text matches (1). No default: retrieval sets it. */
  contextWeight: number;
  limit: number;
  /** How to treat very common words in large scopes (speed); omitted = every term searched as given. */
  commonTerms?: CommonTermsPlan;
}

/**
 * A speed plan for large scopes, chosen by retrieval and executed by the store, which knows document
 * frequencies (the share of the table's rows whose own text or context holds a term). Applies only when the
 * scope holds at least `fromScopeRows` rows: terms with a share ≥ `dropShare` are left out (unless no term
 * would remain), terms with a share ≥ `ownTextShare` are matched in the own text only.
 */
export interface CommonTermsPlan {
  fromScopeRows: number;
  dropShare: number;
  ownTextShare: number;
}

/** Exact cosine search among vectors of `model` only; best first. */
export interface VectorQuery {
  name: string;
  filter: ScopeFilter;
  model: string;
  vector: Float32Array;
  limit: number;
}

/**
 * Memories whose stored event time (EventTimeIndexer) overlaps [from, to): the store finds, retrieval
 * weighs. Score = the largest share of one of the memory's event ranges that lies inside [from, to)
 * (|event ∩ range| / |event|, 0..1]; best first, then the narrower event, then the later memory.
 */
export interface EventQuery {
  name: string;
  filter: ScopeFilter;
  /** ISO instants; the range covers every UTC calendar day it touches. */
  from: string;
  to: string;
  limit: number;
}

/** Every candidate list of one search, answered in one call. */
export interface SearchRequest {
  text: TextQuery[];
  vector: VectorQuery[];
  /** Absent = none. */
  event?: EventQuery[];
}

/** `lists[name]` for each query of the request (an empty array when nothing matched), best first. */
export interface SearchResult {
  lists: Record<string, ScoredId[]>;
}

/** A recall to record: the caller computes the new strength (decay policy lives in src/memory/lifecycle). */
export interface AccessRecord {
  id: string;
  strength: number;
}

// ---------------------------------------------------------------------------------------------- unit of work

/**
 * One write of a change set. Ops apply in order, so a later op may refer to an earlier one's memory.
 * - `insert`: a new memory (fails with CONFLICT on an existing id), its vector if given, and a history entry
 *   `change` with after = memory, at = memory.createdAt.
 * - `replace`: all fields of an existing memory (same id and tenant; NOT_FOUND otherwise) with history
 *   before (the stored row, read inside the transaction) / after = memory, at = memory.updatedAt. `vector`
 *   replaces the stored vector when given; `null` removes it; absent keeps it.
 * - `erase`: as `Store.erase` with `{ id }` (text-free tombstone), inside the same transaction.
 */
export type WriteOp =
  | { op: 'insert'; memory: Memory; vector?: StoredVector; change: Change; mentions?: StoredMention[] }
  | {
      op: 'replace';
      memory: Memory;
      vector?: StoredVector | null;
      change: Change;
      /** Replaces the memory's mentions when given; absent keeps them. */
      mentions?: StoredMention[];
    }
  | { op: 'erase'; id: string; actor: string };

// ---------------------------------------------------------------------------------------------- entities

/**
 * An entity a memory mentions, as recognised by src/entities/ when the memory was written: stored beside the
 * memory, in the same transaction. A store keeps them as given; it removes them with the memory when it is
 * erased, and when a replace sets the memory's status to `deleted`.
 */
export interface StoredMention {
  /** `person:ana`, `place:lisbon`, `kin:maya:sister`, … */
  key: string;
  name: string;
  type: string;
  /** `speaker`, `subject` or `mentioned`. */
  role: string;
  /** The relation key a name was given with ("kin:maya:sister"), else null. */
  alias: string | null;
}

/** A stored mention with the memory it belongs to. */
export interface MentionRow extends StoredMention {
  memoryId: string;
  occurredAt: string;
}

/** The mentions of one user's memories; with `keys`, only those whose key or alias is one of them. */
export interface MentionQuery {
  tenant: string;
  user: string;
  keys?: string[];
  /** Default 10000, oldest memories first. */
  limit?: number;
}

/** What the engine read in one memory `Store.unscannedMentions` gave it. */
export interface ScannedMentions {
  /** The memory as it was read: its mentions are stored only if it has not been written since. */
  memory: Memory;
  mentions: StoredMention[];
}

/** Writes of one engine operation, for one tenant; `Store.apply` commits all of them or none. */
export interface ChangeSet {
  tenant: string;
  ops: WriteOp[];
}

// ---------------------------------------------------------------------------------------------- the store

/**
 * The persistence contract. SQLite implements it (the embedded default); PostgreSQL for scale-out. Both pass
 * test/store/conformance.ts. Error messages name no CLI flag: the store does not know how it was chosen.
 */
export interface Store {
  readonly kind: string;

  /** Commits a change set atomically: after a crash or an error in any op, none of it is visible. */
  apply(changes: ChangeSet): Promise<void>;
  /** Hard erase: removes rows, vectors, index entries and history text, atomically; NOT_FOUND for a missing id. */
  erase(tenant: string, target: { id?: string; user?: string }, actor: string): Promise<number>;
  /**
   * Inserts memories as-is (ids kept) with an `import` history entry, and `mentions[i]` of `memories[i]` when
   * given; all or nothing; fails on duplicate ids.
   */
  importMemories(memories: Memory[], actor: string, mentions?: StoredMention[][]): Promise<void>;
  /**
   * Records recalls atomically: accessCount += 1 (in the database, so concurrent recalls all count),
   * lastAccessedAt = at, strength = the given value. No history entry.
   */
  recordAccess(tenant: string, records: AccessRecord[], at: string): Promise<void>;
  /** Stores vectors of `model` for existing memories (one vector per memory; sets embeddingModel). */
  putVectors(tenant: string, model: string, records: VectorRecord[]): Promise<void>;

  /** Runs every text and vector query of a search; one call, one consistent snapshot where possible. */
  search(request: SearchRequest): Promise<SearchResult>;
  get(tenant: string, id: string): Promise<Memory | null>;
  /** The memories with these ids, in the order of `ids` (missing ones left out). */
  getMany(tenant: string, ids: string[]): Promise<Memory[]>;
  /** A memory in the scope whose text is exactly `text` (dedupe on add), or null. */
  findExact(filter: ScopeFilter, text: string): Promise<Memory | null>;
  list(tenant: string, query: ListQuery): Promise<Page<Memory>>;
  history(tenant: string, id: string): Promise<HistoryEntry[]>;
  /** Distinct speaker names in a user's memories (at most 200). */
  speakers(tenant: string, user: string): Promise<string[]>;
  /** Entity mentions of a user's memories that are not deleted: oldest memory first, then by key. */
  mentions(query: MentionQuery): Promise<MentionRow[]>;
  /**
   * After `erase`: whether the erased bytes are gone from storage, or why not yet (a store that finishes the
   * purge later, in the background). Stores that cannot tell leave it out.
   */
  purgeState?(): { purged: boolean; reason?: string };
  /**
   * Memories written before the store kept entity mentions (schema 2: a database created or upgraded earlier)
   * that no scan has read yet: the tenant's next `limit`, oldest first, deleted ones left out; empty when none
   * is left. The engine reads their mentions and hands them to `saveScannedMentions`.
   */
  unscannedMentions(tenant: string, limit: number): Promise<Memory[]>;
  /**
   * Stores the mentions read in memories `unscannedMentions` returned (those not written since: a write stores
   * its own) and marks every one of them scanned, atomically.
   */
  saveScannedMentions(tenant: string, scanned: ScannedMentions[]): Promise<void>;
  /** Memories of a tenant lacking a vector of `model` (for reindexing). */
  missingVectors(tenant: string, model: string, limit: number): Promise<Memory[]>;
  stats(tenant: string): Promise<Stats>;
  close(): Promise<void>;
}
