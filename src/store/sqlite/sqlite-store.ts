import type Database from 'better-sqlite3';
import { EngramError, ErrorCodes } from '../../core/errors.js';
import { nextTurn, sliceUsed } from '../../core/pace.js';
import type { HistoryEntry, ListQuery, Memory, Page, Stats } from '../../core/types.js';
import type {
  AccessRecord,
  ChangeSet,
  EventTimeIndexer,
  MentionQuery,
  MentionRow,
  ScannedMentions,
  ScopeFilter,
  SearchRequest,
  SearchResult,
  Store,
  StoredMention,
  TextIndexer,
  VectorRecord,
} from '../types.js';
import { Checkpointer } from './checkpointer.js';
import { openDatabase, syncIndexVersion } from './database.js';
import { EventTimes } from './event-times.js';
import { FtsIndex } from './fts-index.js';
import { MentionScan, markMentionScan } from './mention-scan.js';
import { type PurgeState, WalPurger } from './purge.js';
import { Reads } from './reads.js';
import { tenantStats } from './stats.js';
import { TextSearch, type TextSearchOptions } from './text-search.js';
import { VectorCache } from './vector-cache.js';
import { type WriteEffects, Writes } from './writes.js';

export interface SqliteStoreOptions {
  /** What the full-text index holds per memory (retrieval's policy, src/retrieve/text-index.ts). */
  indexer: TextIndexer;
  /** When what each memory tells about happened (src/text/time/events.ts); without it none are kept. */
  eventTimes?: EventTimeIndexer;
  /** Milliseconds a writer waits for another process's lock. Default 10 000. */
  busyTimeoutMs?: number;
  /**
   * Rows (in the table, or in the searched user's scope) from which a full-text query is split between this
   * thread and a read worker. Default 20 000; below it the split costs more than it saves. Tests lower it.
   */
  splitReadsFrom?: number;
  /**
   * Tokens in the full-text index from which a query on fewer rows than `splitReadsFrom` is scored whole on
   * the read worker, off the event loop. Default OFF_THREAD_TOKENS in text-search.ts (a query's cost follows its words' occurrences,
   * which long texts make large at few rows). Tests lower it.
   */
  offThreadTokens?: number;
  /**
   * Bytes of per-user vector matrices kept in memory; the least recently searched scopes are dropped beyond
   * it (and rebuilt from SQLite on their next search). Default 512 MiB. The scope just searched always stays.
   */
  vectorCacheBytes?: number;
}

/**
 * The embedded default store: one SQLite file in WAL mode, FTS5 for BM25, vectors as Float32 blobs searched
 * exactly from an in-memory cache.
 *
 * better-sqlite3 is synchronous: a transaction runs to its end before any other work of this process, unless
 * it awaits. A large change set or import (a maintenance run, thousands of imported memories) would hold the
 * event loop for its whole length that way, so those transactions give the loop a turn every SLICE_MS while
 * they stay open. Meanwhile this connection belongs to them: every other method waits (`gate`) until the
 * transaction has committed (or rolled back), so no request reads uncommitted rows or writes into another's
 * transaction. A search awaits between its lists, so a write transaction starts only once the searches under
 * way have finished (`readers`). The check that the connection is free and the work on it are always in the
 * same synchronous step: an `await` between them would let another transaction begin in the gap.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly reads: Reads;
  private readonly writes: Writes;
  private readonly text: TextSearch;
  private readonly vectors: VectorCache;
  private readonly events: EventTimes;
  private readonly purger: WalPurger;
  /** Null for ':memory:', which has no write-ahead log. */
  private readonly checkpointer: Checkpointer | null;
  private readonly mentionScan: MentionScan;
  private closed = false;
  /** Set while a write transaction has paused (given the event loop a turn) and holds the connection. */
  private gate: Promise<void> | null = null;
  /** Searches under way (they await between their lists), and who waits for them to finish. */
  private readers = 0;
  private readersDone: (() => void)[] = [];

  private constructor(
    readonly path: string,
    options: SqliteStoreOptions,
  ) {
    const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
    this.db = openDatabase(path, busyTimeoutMs);
    try {
      const fts = new FtsIndex(this.db, options.indexer);
      syncIndexVersion(this.db, fts, options.indexer.version);
      markMentionScan(this.db);
      this.mentionScan = new MentionScan(this.db);
      this.events = new EventTimes(this.db, options.eventTimes);
      this.events.sync();
      this.reads = new Reads(this.db);
      this.writes = new Writes(this.db, fts, this.events);
      const text: TextSearchOptions = { busyTimeoutMs };
      if (options.splitReadsFrom !== undefined) text.splitReadsFrom = options.splitReadsFrom;
      if (options.offThreadTokens !== undefined) text.offThreadTokens = options.offThreadTokens;
      this.text = new TextSearch(this.db, path, text);
      this.vectors = new VectorCache(this.db, options.vectorCacheBytes ?? 512 * 1024 * 1024);
      this.purger = new WalPurger(this.db, path !== ':memory:', busyTimeoutMs);
      this.checkpointer = path === ':memory:' ? null : new Checkpointer(path);
    } catch (e) {
      this.db.close();
      throw e;
    }
  }

  static open(path: string, options: SqliteStoreOptions): SqliteStore {
    return new SqliteStore(path, options);
  }

  private ensureOpen(): void {
    if (this.closed) throw new EngramError(ErrorCodes.DB_CLOSED, 'The store is closed');
  }

  /**
   * Runs a write transaction that may pause: `work` asks `pause` after each step, which gives the event loop
   * a turn when the slice is used up. From BEGIN to COMMIT the connection is the transaction's (`gate`, set in
   * the same synchronous step as the check that it was free): every other method waits for it, and it starts
   * only once the searches under way have finished. Caches are brought in line (`wrote`) before the
   * connection is handed back.
   */
  private async paced(
    work: (pause: () => Promise<void> | undefined) => Promise<WriteEffects>,
  ): Promise<void> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    let release = () => {};
    this.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let autoCheckpoint: number | null = null;
    const pause = () => {
      if (!sliceUsed()) return undefined;
      if (autoCheckpoint === null && this.checkpointer) {
        // A transaction this large leaves a long log: its commit must not copy it into the file on this
        // thread (checkpointer.ts).
        autoCheckpoint = this.db.pragma('wal_autocheckpoint', { simple: true }) as number;
        this.db.pragma('wal_autocheckpoint = 0');
      }
      return nextTurn();
    };
    try {
      while (this.readers > 0) await new Promise<void>((resolve) => this.readersDone.push(resolve));
      this.ensureOpen();
      this.wrote(await work(pause));
    } finally {
      if (autoCheckpoint !== null) {
        this.db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
        this.checkpointer?.request();
      }
      this.gate = null;
      release();
    }
  }

  /** Brings this connection's caches in line with a committed write. */
  private wrote(effects: WriteEffects): void {
    for (const { memory, vector } of effects.inserted) this.vectors.append(memory, vector);
    this.text.inserted(effects.inserted.map((i) => i.memory));
    for (const key of effects.changedUsers) {
      const [tenant, user] = key.split('\u0000') as [string, string];
      this.vectors.invalidate(tenant, user);
    }
    if (effects.erased) {
      // Erased text must leave the file too; a reader may hold that back, never this thread (purge.ts).
      this.purger.purge();
      this.text.forgetCounts();
    }
  }

  /** Whether every erased byte is gone from the file and its WAL (see purge.ts). */
  purgeState(): PurgeState {
    return this.purger.state();
  }

  /** Resolves once a purge held back by a reader has completed. */
  whenPurged(): Promise<void> {
    return this.purger.whenPurged();
  }

  async apply(changes: ChangeSet): Promise<void> {
    if (changes.ops.length === 0) {
      this.ensureOpen();
      return;
    }
    await this.paced((pause) => this.writes.apply(changes, pause));
  }

  async erase(tenant: string, target: { id?: string; user?: string }, actor: string): Promise<number> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    const effects = this.writes.erase(tenant, target, actor);
    this.wrote(effects);
    return effects.erasedCount;
  }

  async importMemories(memories: Memory[], actor: string, mentions?: StoredMention[][]): Promise<void> {
    await this.paced(async (pause) => {
      await this.writes.importMemories(memories, actor, mentions, pause);
      this.vectors.clear();
      this.text.forgetCounts();
      return { inserted: [], changedUsers: new Set(), erased: false, erasedCount: 0 };
    });
  }

  async recordAccess(tenant: string, records: AccessRecord[], at: string): Promise<void> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    this.writes.recordAccess(tenant, records, at);
  }

  async putVectors(tenant: string, model: string, records: VectorRecord[]): Promise<void> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    this.writes.putVectors(tenant, model, records);
    this.vectors.invalidate(tenant);
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    this.readers += 1;
    try {
      const lists: SearchResult['lists'] = {};
      for (const q of request.text) {
        // Each list is one synchronous full-text query; a turn of the event loop between them keeps a search
        // with several lists over long texts from holding the loop for all of them at once.
        if (Object.keys(lists).length > 0) await nextTurn();
        lists[q.name] = await this.text.search(q);
      }
      for (const q of request.vector)
        lists[q.name] = this.vectors.search(q.filter, q.model, q.vector, q.limit);
      for (const q of request.event ?? []) lists[q.name] = this.events.search(q);
      return { lists };
    } finally {
      this.readers -= 1;
      if (this.readers === 0) for (const done of this.readersDone.splice(0)) done();
    }
  }

  async get(tenant: string, id: string): Promise<Memory | null> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    return this.reads.get(tenant, id);
  }

  async getMany(tenant: string, ids: string[]): Promise<Memory[]> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    return this.reads.getMany(tenant, ids);
  }

  async findExact(filter: ScopeFilter, text: string): Promise<Memory | null> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    return this.reads.findExact(filter, text);
  }

  async list(tenant: string, query: ListQuery): Promise<Page<Memory>> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    return this.reads.list(tenant, query);
  }

  async history(tenant: string, id: string): Promise<HistoryEntry[]> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    return this.reads.history(tenant, id);
  }

  async speakers(tenant: string, user: string): Promise<string[]> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    return this.reads.speakers(tenant, user);
  }

  async mentions(query: MentionQuery): Promise<MentionRow[]> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    return this.reads.mentions(query);
  }

  async unscannedMentions(tenant: string, limit: number): Promise<Memory[]> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    return this.mentionScan.unscanned(tenant, limit);
  }

  async saveScannedMentions(tenant: string, scanned: ScannedMentions[]): Promise<void> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    this.mentionScan.save(tenant, scanned);
  }

  async missingVectors(tenant: string, model: string, limit: number): Promise<Memory[]> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    return this.reads.missingVectors(tenant, model, limit);
  }

  async stats(tenant: string): Promise<Stats> {
    while (this.gate) await this.gate;
    this.ensureOpen();
    return tenantStats(this.db, tenant);
  }

  /** Cached vector scopes and their estimated bytes, for tests and diagnostics. */
  vectorCacheUsage(): { scopes: number; bytes: number } {
    return this.vectors.usage();
  }

  /** For tests and diagnostics: runs PRAGMA integrity_check. */
  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // A paused transaction finishes first (it commits or rolls back on its own).
    while (this.gate) await this.gate;
    if (this.closed) return;
    this.closed = true;
    this.purger.close();
    await this.checkpointer?.close();
    this.vectors.clear();
    await this.text.close();
    if (this.path !== ':memory:') {
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // Another process holds the WAL; it will checkpoint.
      }
    }
    this.db.close();
  }
}
