import type { Memory, MemoryInput } from '../core/types.js';
import type { Embedder } from '../embed/types.js';
import type { LlmClient } from '../llm/types.js';
import type { Store } from '../store/types.js';
import type { Engram } from './types.js';
import type { UnitOfWork } from './unit-of-work.js';

/**
 * What the engine hands to the parts built on top of it (conversation ingest, facts, maintenance, context):
 * the tenant-confined handle plus the lower-level pieces those parts need.
 */
export interface EngineContext {
  readonly store: Store;
  readonly tenant: string;
  readonly actor: string;
  /** False for read-only handles: recalls are not recorded. */
  readonly recordRecalls: boolean;
  readonly embedder: Embedder | null;
  readonly llm: LlmClient | null;
  /** The public handle of the same tenant (add, search, update, ...). */
  readonly engram: Engram;
  now(): Date;
  /** Validates an input and turns it into a complete Memory (new id, timestamps, defaults); stores nothing. */
  prepare(input: MemoryInput): Memory;
  /** A new unit of work: the operation's writes, committed together by its `commit()`. */
  unit(): UnitOfWork;
}
