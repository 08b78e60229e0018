import type { Memory } from '../../core/types.js';

/** A history row as stored (its text-free tombstones and full before/after copies alike). */
export interface RawHistory {
  memoryId: string;
  tenant: string;
  user: string;
  action: string;
  actor: string;
  at: string;
  before: string | null;
  after: string | null;
}

export interface RawVector {
  memoryId: string;
  tenant: string;
  model: string;
  /** Float32 values, little-endian, as both backends store them. */
  bytes: Buffer;
}

/** An entity mention of a memory (src/entities/), keyed by the memory's id rather than its row number. */
export interface RawMention {
  memoryId: string;
  tenant: string;
  key: string;
  name: string;
  type: string;
  role: string;
  alias: string | null;
}

/** An event range of a memory (whole UTC days since 1970-01-01, [start, end)), keyed by the memory's id. */
export interface RawEventTime {
  memoryId: string;
  tenant: string;
  user: string;
  start: number;
  end: number;
  granularity: string;
}

export interface RawKey {
  id: string;
  name: string | null;
  tenant: string;
  role: string;
  prefix: string;
  hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface Counts {
  memories: number;
  vectors: number;
  history: number;
  mentions: number;
  eventTimes: number;
  keys: number;
}

/**
 * Raw access to one backend's tables, for `engram migrate`: everything in write order, pages by position.
 * Writers insert rows as they are (ids, times, history and keys unchanged); the lexical index is rebuilt by the
 * destination store on its next open, replaying rows in write order as when they were first written.
 */
export interface RawSource {
  counts(): Promise<Counts>;
  memories(offset: number, limit: number): Promise<Memory[]>;
  vectors(offset: number, limit: number): Promise<RawVector[]>;
  history(offset: number, limit: number): Promise<RawHistory[]>;
  mentions(offset: number, limit: number): Promise<RawMention[]>;
  eventTimes(offset: number, limit: number): Promise<RawEventTime[]>;
  /** The EventTimeIndexer version the event rows were computed with, or null (then recomputed on open). */
  eventTimesVersion(): Promise<string | null>;
  keys(): Promise<RawKey[]>;
  close(): Promise<void>;
}

export interface RawTarget {
  counts(): Promise<Counts>;
  /** Runs every write of `fn` in one transaction, and marks the index for a rebuild in it. */
  transaction(fn: (w: RawWriter) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export interface RawWriter {
  memories(rows: Memory[]): Promise<void>;
  vectors(rows: RawVector[]): Promise<void>;
  history(rows: RawHistory[]): Promise<void>;
  mentions(rows: RawMention[]): Promise<void>;
  eventTimes(rows: RawEventTime[]): Promise<void>;
  /** Records the version the copied event rows were computed with (null: the store recomputes them). */
  eventTimesVersion(version: string | null): Promise<void>;
  keys(rows: RawKey[]): Promise<void>;
}
