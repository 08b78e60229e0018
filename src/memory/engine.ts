import { EngramError, ErrorCodes } from '../core/errors.js';
import { pace } from '../core/pace.js';
import type {
  HistoryEntry,
  ListQuery,
  Memory,
  MemoryInput,
  MemoryPatch,
  Page,
  Stats,
} from '../core/types.js';
import type { Embedder } from '../embed/types.js';
import type { LlmClient } from '../llm/types.js';
import type { Reranker } from '../rerank/types.js';
import { memoryEventTimes } from '../retrieve/event-times.js';
import type { RetrievalConfig } from '../retrieve/hybrid.js';
import { searchMemories } from '../retrieve/pipeline.js';
import type { WordVectors } from '../retrieve/soft-match.js';
import type { ScopeFilter, Store, StoredMention } from '../store/types.js';
import { type AskOptions, type AskResult, ask } from './ask.js';
import type { EngineContext } from './engine-context.js';
import { memoryToJsonl, parseMemoryJsonl } from './jsonl.js';
import {
  addConversation,
  type BuildContextOptions,
  type BuiltContext,
  buildContext,
  type ConversationResult,
  type EntitiesOptions,
  type EntityProfile,
  type EntitySummary,
  entityProfile,
  listEntities,
  type MaintainOptions,
  type MaintainReport,
  maintain,
  type ProfileOptions,
  type RankWeights,
  rankFactor,
  reinforceOnRecall,
  restate,
  storedMentions,
} from './lifecycle/index.js';
import {
  checkImportance,
  checkKind,
  checkMetadata,
  checkName,
  checkQuery,
  checkText,
  checkWellFormed,
  prepareMemory,
  toIso,
} from './prepare.js';
import type {
  AddOutcome,
  ConversationInput,
  Engram,
  EraseResult,
  EraseTarget,
  ImportResult,
  SearchHit,
  SearchOptions,
} from './types.js';
import { UnitOfWork } from './unit-of-work.js';

/** What all handles of one opened store share; a handle adds the tenant and actor. */
export interface EngineShared {
  store: Store;
  embedder: Embedder | null;
  reranker: Reranker | null;
  llm: LlmClient | null;
  analyzeQuery: (text: string) => string[];
  analyze: (text: string) => string[];
  /** Analyses texts about to be written ahead of the store's transaction, yielding between slices. */
  prewarm: (texts: string[]) => Promise<void>;
  /** How importance and decayed strength adjust relevance (lifecycle). */
  rankWeights: RankWeights;
  /** Word vectors for soft matching (the GloVe embedder's), or null. */
  words: WordVectors | null;
  retrieval: RetrievalConfig;
  maxTextLength: number;
  now: () => Date;
  /** Called once by close() of the root handle. */
  dispose: () => Promise<void>;
}

const MAX_BATCH = 10_000;

export class EngramEngine implements Engram {
  private closed = false;

  constructor(
    private readonly shared: EngineShared,
    readonly tenant: string,
    private readonly actor: string,
    private readonly root: boolean,
    /** False for read-only callers: their searches and contexts leave accessCount and strength alone. */
    private readonly recordRecalls = true,
  ) {}

  withContext(ctx: { tenant?: string; actor?: string; recordRecalls?: boolean }): Engram {
    const tenant = ctx.tenant === undefined ? this.tenant : checkName(ctx.tenant, 'tenant', true);
    return new EngramEngine(
      this.shared,
      tenant,
      ctx.actor ?? this.actor,
      false,
      ctx.recordRecalls ?? this.recordRecalls,
    );
  }

  /** The pieces the lifecycle modules (conversation ingest, facts, maintenance, context) build on. */
  context(): EngineContext {
    return {
      store: this.shared.store,
      tenant: this.tenant,
      actor: this.actor,
      recordRecalls: this.recordRecalls,
      embedder: this.shared.embedder,
      llm: this.shared.llm,
      engram: this,
      now: this.shared.now,
      prepare: (input) => this.prepare(input),
      unit: () => this.unit(),
    };
  }

  private prepare(input: MemoryInput): Memory {
    return prepareMemory(input, {
      tenant: this.tenant,
      now: this.shared.now(),
      maxTextLength: this.shared.maxTextLength,
    });
  }

  private async embedAll(memories: Memory[]): Promise<Map<string, { model: string; vector: Float32Array }>> {
    const vectors = new Map<string, { model: string; vector: Float32Array }>();
    const embedder = this.shared.embedder;
    if (!embedder || memories.length === 0) return vectors;
    // Batches of at most 256 texts and ~16k characters, with a turn of the event loop between them, so that
    // a large write does not hold the loop while it is embedded.
    for (let i = 0; i < memories.length; ) {
      const slice: Memory[] = [];
      let chars = 0;
      while (i < memories.length && slice.length < 256 && (slice.length === 0 || chars < 16_000)) {
        chars += memories[i]!.text.length;
        slice.push(memories[i++]!);
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
      const vs = await embedder.embed(
        slice.map((m) => m.text),
        { kind: 'document' },
      );
      slice.forEach((m, j) => {
        m.embeddingModel = embedder.id;
        vectors.set(m.id, { model: embedder.id, vector: vs[j]! });
      });
    }
    return vectors;
  }

  private unit(): UnitOfWork {
    return new UnitOfWork(
      this.shared.store,
      this.tenant,
      this.actor,
      (memories) => this.embedAll(memories),
      (texts) => this.shared.prewarm(texts),
    );
  }

  async add(input: MemoryInput): Promise<Memory> {
    const [m] = await this.addMany([input]);
    return m!;
  }

  async addMany(
    inputs: MemoryInput[],
    options: { onProgress?: (done: number, total: number) => void } = {},
  ): Promise<Memory[]> {
    return (await this.addWithOutcome(inputs, options)).map((o) => o.memory);
  }

  async addWithOutcome(
    inputs: MemoryInput[],
    options: { onProgress?: (done: number, total: number) => void } = {},
  ): Promise<AddOutcome[]> {
    this.ensureOpen();
    if (!Array.isArray(inputs))
      throw new EngramError(ErrorCodes.INVALID_INPUT, 'addMany takes an array of memories');
    if (inputs.length > MAX_BATCH) {
      throw new EngramError(
        ErrorCodes.INVALID_INPUT,
        `at most ${MAX_BATCH} memories per batch; got ${inputs.length}`,
      );
    }
    // Validate everything first: one bad item rejects the whole batch and nothing is written. A batch of long
    // texts takes tens of milliseconds to check and plan: turns of the event loop between items (pace).
    const prepared: Memory[] = [];
    for (const [i, input] of inputs.entries()) {
      try {
        prepared.push(this.prepare(input));
      } catch (e) {
        if (e instanceof EngramError && inputs.length > 1) {
          throw new EngramError(e.code, `item ${i}: ${e.message}`, { ...e.details, index: i });
        }
        throw e;
      }
      await pace();
    }
    const result: AddOutcome[] = [];
    const fresh: Memory[] = [];
    const seen = new Map<string, Memory>();
    // Restatements are written with the first chunk of new memories (or alone when there is none).
    const unit = this.unit();
    for (let i = 0; i < prepared.length; i++) {
      const m = prepared[i]!;
      await pace();
      const dup = await this.findDuplicate(m, inputs[i]!, seen, unit);
      if (dup) {
        result.push({ memory: dup, restated: true });
        continue;
      }
      fresh.push(m);
      seen.set(dedupeKey(m), m);
      result.push({ memory: m, restated: false });
    }
    // Chunks of their own transaction each, so that a long batch shows progress and does not hold the lock.
    const chunk = 500;
    for (let i = 0; i < fresh.length; i += chunk) {
      await unit.insert(fresh.slice(i, i + chunk));
      await unit.commit();
      options.onProgress?.(Math.min(i + chunk, fresh.length), fresh.length);
    }
    await unit.commit();
    return result;
  }

  /**
   * Notes and facts restated word for word reinforce the stored memory instead of adding a copy, keeping what
   * the restatement adds (lifecycle/restate.ts). Conversation turns are events: the same words said twice are
   * two turns.
   */
  private async findDuplicate(
    m: Memory,
    input: MemoryInput,
    seen: Map<string, Memory>,
    unit: UnitOfWork,
  ): Promise<Memory | null> {
    if (m.kind === 'turn') return null;
    const now = this.shared.now();
    const inBatch = seen.get(dedupeKey(m));
    if (inBatch) {
      // Not written yet: the earlier item of the batch takes what this one adds.
      Object.assign(inBatch, restate(inBatch, input, m, now));
      return inBatch;
    }
    const filter: ScopeFilter = { tenant: this.tenant, user: m.user, kinds: [m.kind] };
    if (m.agent !== null) filter.agent = m.agent;
    const existing = await this.shared.store.findExact(filter, m.text);
    if (!existing || existing.agent !== m.agent) return null;
    return unit.replace(restate(existing, input, m, now), 'reinforce');
  }

  async addConversation(input: ConversationInput): Promise<ConversationResult> {
    this.ensureOpen();
    return addConversation(this.context(), input);
  }

  async ask(options: AskOptions): Promise<AskResult> {
    this.ensureOpen();
    return ask(this.context(), options);
  }

  async buildContext(options: BuildContextOptions): Promise<BuiltContext> {
    this.ensureOpen();
    return buildContext(this.context(), options);
  }

  async maintain(options: MaintainOptions = {}): Promise<MaintainReport> {
    this.ensureOpen();
    return maintain(this.context(), options);
  }

  async entities(options: EntitiesOptions): Promise<EntitySummary[]> {
    this.ensureOpen();
    return listEntities(this.context(), options);
  }

  async profile(options: ProfileOptions): Promise<EntityProfile> {
    this.ensureOpen();
    return entityProfile(this.context(), options);
  }

  async search(query: string, options: SearchOptions): Promise<SearchHit[]> {
    this.ensureOpen();
    checkQuery(query);
    const user = checkName(options?.user, 'user', true);
    const k = options.k ?? 10;
    if (!Number.isInteger(k) || k < 1 || k > 1000) {
      throw new EngramError(ErrorCodes.INVALID_INPUT, 'k must be a whole number from 1 to 1000');
    }
    const filter: ScopeFilter = { tenant: this.tenant, user };
    if (options.agent !== undefined) filter.agent = checkName(options.agent, 'agent', true);
    if (options.session !== undefined) filter.session = checkName(options.session, 'session', true);
    if (options.kind !== undefined) {
      filter.kinds = (Array.isArray(options.kind) ? options.kind : [options.kind]).map(checkKind);
    }
    if (options.includeArchived) filter.statuses = ['active', 'archived'];
    if (options.asOf !== undefined) filter.asOf = toIso(options.asOf, 'asOf');
    else if (options.includeSuperseded) filter.includeSuperseded = true;
    // Relative words in the query ("last week") mean the as-of time when one is given, unless `now` says
    // otherwise; a recall is still recorded at the real time.
    const clock = this.shared.now().toISOString();
    const now = options.now !== undefined ? toIso(options.now, 'now') : (filter.asOf ?? clock);
    const mode = options.mode ?? 'hybrid';
    if (!['hybrid', 'bm25', 'vector'].includes(mode)) {
      throw new EngramError(ErrorCodes.INVALID_INPUT, 'mode must be hybrid, bm25 or vector');
    }
    const scored = await searchMemories(
      {
        store: this.shared.store,
        embedder: this.shared.embedder,
        analyzeQuery: this.shared.analyzeQuery,
        analyze: this.shared.analyze,
        config: this.shared.retrieval,
        words: this.shared.words,
        reranker: this.shared.reranker,
        rankFactor: (m, at) => rankFactor(m, at, this.shared.rankWeights),
      },
      { query, filter, k, mode, now: new Date(now), rerank: options.rerank !== false },
    );
    const hits: SearchHit[] = scored.slice(0, k).map(({ memory: m, score, signals }) => {
      const hit: SearchHit = {
        id: m.id,
        text: m.text,
        score,
        kind: m.kind,
        speaker: m.speaker,
        session: m.session,
        occurredAt: m.occurredAt,
        metadata: m.metadata,
        eventTimes: memoryEventTimes(m),
        memory: m,
      };
      if (options.explain) hit.explain = { ...signals, fused: signals.fused as number, final: score };
      return hit;
    });
    if (options.reinforce !== false && this.recordRecalls && hits.length > 0) {
      await this.shared.store.recordAccess(
        this.tenant,
        hits.map((h) => ({ id: h.id, ...reinforceOnRecall(h.memory) })),
        options.now !== undefined ? now : clock,
      );
    }
    return hits;
  }

  async get(id: string): Promise<Memory> {
    const m = await this.load(id);
    // Only when it names a date: a memory without one reads exactly as it was stored.
    const eventTimes = memoryEventTimes(m);
    return eventTimes.length > 0 ? { ...m, eventTimes } : m;
  }

  /** The stored memory as it is, for changes (`get` adds what is derived on read). */
  private async load(id: string): Promise<Memory> {
    this.ensureOpen();
    const m = await this.shared.store.get(this.tenant, checkName(id, 'id', true));
    if (!m) throw new EngramError(ErrorCodes.NOT_FOUND, `No memory with id ${id}`);
    return m;
  }

  async list(query: ListQuery): Promise<Page<Memory>> {
    this.ensureOpen();
    const q = { ...query };
    if (q.occurred?.from) q.occurred = { ...q.occurred, from: toIso(q.occurred.from, 'from') };
    if (q.occurred?.to) q.occurred = { ...q.occurred, to: toIso(q.occurred.to, 'to') };
    if (q.kind !== undefined) {
      q.kind = Array.isArray(q.kind) ? q.kind.map(checkKind) : checkKind(q.kind);
    }
    if (q.limit !== undefined && (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 1000)) {
      throw new EngramError(ErrorCodes.INVALID_INPUT, 'limit must be a whole number from 1 to 1000');
    }
    return this.shared.store.list(this.tenant, q);
  }

  async update(id: string, patch: MemoryPatch): Promise<Memory> {
    this.ensureOpen();
    if (!patch || typeof patch !== 'object')
      throw new EngramError(ErrorCodes.INVALID_INPUT, 'update needs a patch object');
    const current = await this.load(id);
    if (current.status === 'deleted') {
      throw new EngramError(ErrorCodes.NOT_FOUND, `Memory ${id} is deleted; it can no longer be updated`);
    }
    const now = this.shared.now().toISOString();
    const next: Memory = { ...current, updatedAt: now };
    if (patch.text !== undefined) next.text = checkText(patch.text, this.shared.maxTextLength);
    if (patch.metadata !== undefined) next.metadata = checkMetadata(patch.metadata);
    if (patch.speaker !== undefined) next.speaker = checkName(patch.speaker, 'speaker', false);
    if (patch.role !== undefined) next.role = checkName(patch.role, 'role', false);
    if (patch.kind !== undefined) next.kind = checkKind(patch.kind);
    if (patch.occurredAt !== undefined) next.occurredAt = toIso(patch.occurredAt, 'occurredAt');
    if (patch.importance !== undefined)
      next.importance = checkImportance(patch.importance, current.importance);
    if (patch.status !== undefined) {
      if (patch.status !== 'active' && patch.status !== 'archived') {
        throw new EngramError(
          ErrorCodes.INVALID_INPUT,
          'status can be set to active or archived (use delete or erase)',
        );
      }
      next.status = patch.status;
    }
    let vector: { model: string; vector: Float32Array } | undefined;
    if (next.text !== current.text && this.shared.embedder) {
      const [v] = await this.shared.embedder.embed([next.text], { kind: 'document' });
      vector = { model: this.shared.embedder.id, vector: v! };
      next.embeddingModel = this.shared.embedder.id;
    }
    const action = patch.status === 'archived' && current.status !== 'archived' ? 'archive' : 'update';
    return this.writeOne((unit) => unit.replace(next, action, vector));
  }

  async delete(id: string): Promise<Memory> {
    this.ensureOpen();
    const current = await this.load(id);
    if (current.status === 'deleted') return current;
    const now = this.shared.now().toISOString();
    return this.writeOne((unit) => unit.replace({ ...current, status: 'deleted', updatedAt: now }, 'delete'));
  }

  private async writeOne(plan: (unit: UnitOfWork) => Memory): Promise<Memory> {
    const unit = this.unit();
    const m = plan(unit);
    await unit.commit();
    return m;
  }

  async erase(target: EraseTarget): Promise<EraseResult> {
    this.ensureOpen();
    if (!target || (target.id === undefined) === (target.user === undefined)) {
      throw new EngramError(ErrorCodes.INVALID_INPUT, 'erase takes exactly one of { id } or { user }');
    }
    const t =
      target.id !== undefined
        ? { id: checkName(target.id, 'id', true) }
        : { user: checkName(target.user, 'user', true) };
    const erased = await this.shared.store.erase(this.tenant, t, this.actor);
    const purge = this.shared.store.purgeState?.();
    return purge ? { erased, ...purge } : { erased };
  }

  async history(id: string): Promise<HistoryEntry[]> {
    this.ensureOpen();
    const entries = await this.shared.store.history(this.tenant, checkName(id, 'id', true));
    if (entries.length === 0) throw new EngramError(ErrorCodes.NOT_FOUND, `No history for id ${id}`);
    return entries;
  }

  async *export(query: { user?: string } = {}): AsyncIterable<string> {
    this.ensureOpen();
    let cursor: string | null = null;
    do {
      const q: ListQuery = {
        limit: 1000,
        includeArchived: true,
        includeDeleted: true,
        includeSuperseded: true,
      };
      if (query.user !== undefined) q.user = query.user;
      if (cursor) q.cursor = cursor;
      const page = await this.shared.store.list(this.tenant, q);
      for (const m of page.items) yield memoryToJsonl(m);
      cursor = page.nextCursor;
    } while (cursor);
  }

  async import(jsonl: string | readonly string[]): Promise<ImportResult> {
    this.ensureOpen();
    const text = typeof jsonl === 'string' ? [jsonl] : jsonl;
    if (!Array.isArray(text) || !text.every((chunk) => typeof chunk === 'string')) {
      throw new EngramError(ErrorCodes.INVALID_INPUT, 'import takes JSONL text');
    }
    const records = await parseMemoryJsonl(text);
    for (const m of records) {
      await pace();
      // Tenancy comes from the handle, never from the file: an export of one tenant imports into another
      // database under this tenant. Ids are kept (lossless): one this tenant already holds is a CONFLICT, one
      // another tenant holds gets a new id (the store's import, so that no tenant learns another's ids).
      m.tenant = this.tenant;
      checkText(m.text, this.shared.maxTextLength);
      for (const field of ['id', 'user', 'agent', 'session', 'speaker', 'role', 'supersededBy'] as const) {
        const v = m[field];
        if (typeof v === 'string') checkWellFormed(v, field);
      }
    }
    await this.shared.prewarm(records.map((m) => m.text));
    const mentions: StoredMention[][] = [];
    for (const m of records) {
      // About a millisecond per thousand characters: thousands of imported memories take seconds.
      mentions.push(storedMentions(m));
      await pace();
    }
    await this.shared.store.importMemories(records, this.actor, mentions);
    if (this.shared.embedder) await this.reindex();
    return { imported: records.length };
  }

  async reindex(
    options: { onProgress?: (done: number, total: number) => void; batchSize?: number } = {},
  ): Promise<{ embedded: number; model: string | null }> {
    this.ensureOpen();
    const embedder = this.shared.embedder;
    if (!embedder) return { embedded: 0, model: null };
    const batch = options.batchSize ?? 256;
    const total = (await this.shared.store.stats(this.tenant)).memories;
    let done = 0;
    for (;;) {
      const missing = await this.shared.store.missingVectors(this.tenant, embedder.id, batch);
      if (missing.length === 0) break;
      const vs = await embedder.embed(
        missing.map((m) => m.text),
        { kind: 'document' },
      );
      await this.shared.store.putVectors(
        this.tenant,
        embedder.id,
        missing.map((m, i) => ({ id: m.id, vector: vs[i]! })),
      );
      done += missing.length;
      options.onProgress?.(done, total);
    }
    return { embedded: done, model: embedder.id };
  }

  async stats(): Promise<Stats> {
    this.ensureOpen();
    return this.shared.store.stats(this.tenant);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.root) await this.shared.dispose();
  }

  private ensureOpen(): void {
    if (this.closed) throw new EngramError(ErrorCodes.DB_CLOSED, 'This Engram handle is closed');
  }
}

function dedupeKey(m: Memory): string {
  return JSON.stringify([m.user, m.agent, m.kind, m.text]);
}
