/** The memory model: what one stored memory is, and the shapes the public API takes and returns. */

export const MEMORY_KINDS = ['turn', 'fact', 'summary', 'note'] as const;
export type MemoryKind = (typeof MEMORY_KINDS)[number];

export const MEMORY_STATUSES = ['active', 'archived', 'deleted'] as const;
/** `deleted` is a soft delete: gone from search and lists, kept in history. Erased memories have no row. */
export type MemoryStatus = (typeof MEMORY_STATUSES)[number];

export type Metadata = Record<string, unknown>;

/** Who a memory belongs to. `tenant` isolates whole customers; `user` is the person the memory is about. */
export interface Scope {
  tenant: string;
  user: string;
  agent: string | null;
  session: string | null;
}

export interface Memory extends Scope {
  /** ULID: unique, stable and sortable by creation time. */
  id: string;
  kind: MemoryKind;
  /** Display name of who said it ("Caroline"). */
  speaker: string | null;
  /** Conversation role ("user", "assistant", "system", "tool"). */
  role: string | null;
  text: string;
  metadata: Metadata;
  /** When it happened or was said (ISO 8601). */
  occurredAt: string;
  /** When Engram stored it (ISO 8601). */
  createdAt: string;
  updatedAt: string;
  /** Validity interval: a superseded fact gets `validTo` and `supersededBy`. */
  validFrom: string;
  validTo: string | null;
  supersededBy: string | null;
  /** 0..1, how much this memory matters (heuristic or LLM). */
  importance: number;
  /** Decaying strength, reinforced by recall and restatement. */
  strength: number;
  accessCount: number;
  lastAccessedAt: string | null;
  /** Id of the embedding model whose vector this memory has (null: not embedded). */
  embeddingModel: string | null;
  status: MemoryStatus;
  /**
   * When what it tells about happened, resolved from its time expressions against `occurredAt` ("yesterday",
   * said on 5 May, is 4 May). Derived on read, never stored or exported: `get` sets it when the text names
   * a date; search hits always carry theirs (`SearchHit.eventTimes`).
   */
  eventTimes?: EventTime[];
}

/** One event range of a memory, in ISO calendar days [start, end). */
export interface EventTime {
  /** The words as written ("last Sunday", 上周六). */
  text: string;
  /** First day (YYYY-MM-DD). */
  start: string;
  /** Day after the last one (YYYY-MM-DD, exclusive). */
  end: string;
  granularity: 'day' | 'week' | 'month' | 'year' | 'range';
}

/** What a caller passes to `add`. Only `user` and `text` are required. */
export interface MemoryInput {
  user: string;
  agent?: string | null;
  session?: string | null;
  kind?: MemoryKind;
  speaker?: string | null;
  role?: string | null;
  text: string;
  metadata?: Metadata;
  occurredAt?: string | Date;
  validFrom?: string | Date;
  importance?: number;
}

export interface MemoryPatch {
  text?: string;
  metadata?: Metadata;
  speaker?: string | null;
  role?: string | null;
  kind?: MemoryKind;
  occurredAt?: string | Date;
  importance?: number;
  status?: Extract<MemoryStatus, 'active' | 'archived'>;
}

export type HistoryAction =
  | 'add'
  | 'update'
  | 'supersede'
  | 'delete'
  | 'erase'
  | 'reinforce'
  | 'archive'
  | 'import';

export interface HistoryEntry {
  seq: number;
  memoryId: string;
  tenant: string;
  user: string;
  action: HistoryAction;
  actor: string;
  at: string;
  before: Partial<Memory> | null;
  after: Partial<Memory> | null;
}

export interface TimeRange {
  from?: string;
  to?: string;
}

export interface ListQuery {
  user?: string;
  agent?: string;
  session?: string;
  kind?: MemoryKind | MemoryKind[];
  /** Filter on occurredAt. */
  occurred?: TimeRange;
  includeDeleted?: boolean;
  includeArchived?: boolean;
  includeSuperseded?: boolean;
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Stats {
  memories: number;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
  users: number;
  sessions: number;
  historyEntries: number;
  vectors: Record<string, number>;
  dbBytes: number | null;
  schemaVersion: number;
}
