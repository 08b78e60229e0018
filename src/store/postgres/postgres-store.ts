import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { HistoryEntry, ListQuery, Memory, Page, Stats } from '../../core/types.js';
import { assignFreeIds } from '../import-ids.js';
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
import { type CompactResult, compactTables } from './compact.js';
import { type Database, openPool, type Sql } from './db.js';
import { searchEventTimes, syncEventTimes } from './event-times.js';
import { LexicalIndex } from './lexical-index.js';
import { MentionScan } from './mention-scan.js';
import { prepareSchema } from './migrate.js';
import { Reads } from './reads.js';
import { searchLists } from './search.js';
import { parsePostgresUrl } from './url.js';
import { ExactVectors, PgvectorSearch } from './vector-search.js';
import { type WriteEffects, WriteTx } from './writes.js';

export interface PostgresStoreOptions {
  /** What the lexical index holds for each memory (retrieval's policy). */
  indexer: TextIndexer;
  /** When what each memory tells about happened (src/text/time/events.ts); without it none are kept. */
  eventTimes?: EventTimeIndexer;
  /** Overrides the URL's `schema` parameter. */
  schema?: string;
  /** Connections in this process's pool. Default 10. */
  poolSize?: number;
  /** Use pgvector when the database has it. Default true. */
  useVectorExtension?: boolean;
  /** Bytes of per-user vector matrices cached for exact search (without pgvector). Default 512 MiB. */
  vectorCacheBytes?: number;
}

/**
 * The PostgreSQL store: any number of processes on one database (and schema) see one memory. Each write is
 * one transaction (rows, history, lexical index and statistics, vectors); searches score BM25 in SQL from the
 * postings table and cosine either with pgvector or exactly in this process.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  private readonly reads: Reads;
  private readonly exact: ExactVectors | null;
  private readonly pgvector: PgvectorSearch | null;
  private readonly mentionScan: MentionScan;
  private closed = false;
  /** Rows this process wrote since it last refreshed the planner's statistics, and the table size then. */
  private written = 0;
  private analyzedAt = 0;

  private constructor(
    private readonly db: Database,
    readonly schema: string,
    readonly location: string,
    private readonly options: PostgresStoreOptions,
    hasPgvector: boolean,
  ) {
    this.reads = new Reads(db, schema);
    this.mentionScan = new MentionScan(db, schema);
    this.pgvector = hasPgvector ? new PgvectorSearch(schema) : null;
    this.exact = hasPgvector ? null : new ExactVectors(schema, options.vectorCacheBytes ?? 512 * 1024 * 1024);
  }

  /** Opens (creating or upgrading the schema) the store at a `postgres://` URL. */
  static async open(url: string, options: PostgresStoreOptions): Promise<PostgresStore> {
    const where = parsePostgresUrl(url, options.schema);
    const db = await openPool(
      {
        connectionString: where.connectionString,
        max: options.poolSize ?? where.pool,
        prepare: where.prepare,
      },
      where.display,
    );
    try {
      return await PostgresStore.onDatabase(db, where.schema, where.display, options);
    } catch (e) {
      await db.close();
      throw e;
    }
  }

  /** A store on an open connection (PGlite in tests, or a caller's own pool). */
  static async onDatabase(
    db: Database,
    schema: string,
    display: string,
    options: PostgresStoreOptions,
  ): Promise<PostgresStore> {
    const state = await prepareSchema(db, schema, {
      useVectorExtension: options.useVectorExtension ?? true,
      where: display,
    });
    const store = new PostgresStore(db, schema, display, options, state.pgvector);
    await store.syncIndexer();
    await syncEventTimes(db, schema, options.eventTimes);
    return store;
  }

  /** Re-indexes every row when the indexer's token format changed since the schema was last written. */
  private async syncIndexer(): Promise<void> {
    const s = this.schema;
    const current = await this.db.query<{ value: string }>(
      `SELECT value FROM ${s}.engram_meta WHERE key = 'indexer'`,
    );
    if (current[0]?.value === this.options.indexer.version) return;
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`engram-schema:${s}`]);
      const again = await tx.query<{ value: string }>(
        `SELECT value FROM ${s}.engram_meta WHERE key = 'indexer'`,
      );
      if (again[0]?.value === this.options.indexer.version) return;
      // As the SQLite store does: statistics reset, rows replayed in write order, each seeing only earlier rows.
      await tx.query(`DELETE FROM ${s}.postings`);
      await tx.query(`DELETE FROM ${s}.fts_docs`);
      await tx.query(`DELETE FROM ${s}.term_stats`);
      await tx.query(`DELETE FROM ${s}.fts_stats`);
      const tenants = await tx.query<{ tenant: string }>(
        `SELECT DISTINCT tenant FROM ${s}.memories ORDER BY tenant`,
      );
      for (const { tenant } of tenants) {
        const index = new LexicalIndex(tx, s, tenant, this.options.indexer);
        const rows = await tx.query<{ seq: string }>(
          `SELECT seq FROM ${s}.memories WHERE tenant = $1 ORDER BY seq`,
          [tenant],
        );
        for (const { seq } of rows) await index.upsert(String(seq), String(seq));
        await index.flush();
      }
      await tx.query(
        `INSERT INTO ${s}.engram_meta (key, value) VALUES ('indexer', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [this.options.indexer.version],
      );
    });
  }

  /** A write transaction of this store for one tenant. */
  private writer(tx: Sql, tenant: string): WriteTx {
    return new WriteTx(tx, this.schema, tenant, this.options.indexer, this.pgvector, this.options.eventTimes);
  }

  private ensureOpen(): void {
    if (this.closed) throw new EngramError(ErrorCodes.DB_CLOSED, 'The store is closed');
  }

  /**
   * Refreshes the planner's statistics once this process has written a fifth of the rows there were (at least
   * 200). Searches rely on them to look postings up by term and memories by seq; on a table the planner has never
   * analysed (a new schema, before autovacuum's first pass) it scans a user's whole posting list instead,
   * about ten times slower.
   */
  private async maybeAnalyze(rows: number): Promise<void> {
    this.written += rows;
    if (this.written < Math.max(200, this.analyzedAt / 5)) return;
    this.written = 0;
    const s = this.schema;
    await this.db.query(`ANALYZE ${s}.postings, ${s}.memories, ${s}.term_stats, ${s}.fts_docs, ${s}.vectors`);
    const [n] = await this.db.query<{ n: string }>(
      `SELECT coalesce(sum(n_live), 0) AS n FROM ${s}.fts_stats`,
    );
    this.analyzedAt = Number(n?.n ?? 0);
  }

  private afterWrite(tenant: string, effects: WriteEffects): void {
    if (!this.exact) return;
    for (const [key, version] of effects.versions) {
      const user = key.slice(tenant.length + 1);
      this.exact.afterWrite(
        tenant,
        user,
        version,
        effects.inserted.filter((i) => i.memory.user === user),
        !effects.changedInPlace,
      );
    }
  }

  async apply(changes: ChangeSet): Promise<void> {
    this.ensureOpen();
    if (changes.ops.length === 0) return;
    const effects = await this.db.transaction(async (tx) => {
      const w = this.writer(tx, changes.tenant);
      const early = changes.ops.some((op) => op.op !== 'insert' || op.memory.kind === 'turn');
      await w.begin(await WriteTx.usersOf(tx, this.schema, changes.tenant, changes.ops), { early });
      const ops = changes.ops;
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i]!;
        if (op.op === 'insert') {
          // A run of inserts (a conversation's turns) is one statement.
          let end = i;
          while (ops[end + 1]?.op === 'insert') end++;
          const run = ops.slice(i, end + 1) as Extract<(typeof ops)[number], { op: 'insert' }>[];
          await w.insertMany(
            run.map((o) => ({ memory: o.memory, vector: o.vector, change: o.change, mentions: o.mentions })),
          );
          i = end;
        } else if (op.op === 'replace') await w.replace(op.memory, op.vector, op.change, op.mentions);
        else if ((await w.erase({ id: op.id }, op.actor)) === 0) {
          throw new EngramError(ErrorCodes.NOT_FOUND, `No memory with id ${op.id}`);
        }
      }
      await w.finish();
      return w.effects;
    });
    this.afterWrite(changes.tenant, effects);
    await this.maybeAnalyze(effects.inserted.length);
  }

  async erase(tenant: string, target: { id?: string; user?: string }, actor: string): Promise<number> {
    this.ensureOpen();
    if (!target.id && target.user === undefined) {
      throw new EngramError(ErrorCodes.INVALID_INPUT, 'erase needs an id or a user');
    }
    const effects = await this.db.transaction(async (tx) => {
      const w = this.writer(tx, tenant);
      const users = target.id
        ? await WriteTx.usersOf(tx, this.schema, tenant, [{ op: 'erase', id: target.id, actor }])
        : [target.user!];
      await w.begin(users);
      const n = await w.erase(target, actor);
      if (target.id && n === 0) throw new EngramError(ErrorCodes.NOT_FOUND, `No memory with id ${target.id}`);
      await w.finish();
      return w.effects;
    });
    this.afterWrite(tenant, effects);
    return effects.erasedCount;
  }

  /** Rewrites the tables of erased rows so their old versions leave the files too (compact.ts). */
  async compact(): Promise<CompactResult> {
    this.ensureOpen();
    return compactTables(this.db, this.schema);
  }

  async importMemories(memories: Memory[], actor: string, mentions?: StoredMention[][]): Promise<void> {
    this.ensureOpen();
    if (memories.length === 0) return;
    // By object, not id: an id another tenant holds is renamed below.
    const mentionsOf = new Map(memories.map((m, i) => [m, mentions?.[i]]));
    const byTenant = new Map<string, Memory[]>();
    for (const m of memories) byTenant.set(m.tenant, [...(byTenant.get(m.tenant) ?? []), m]);
    const all: { tenant: string; effects: WriteEffects }[] = [];
    await this.db.transaction(async (tx) => {
      const at = new Date().toISOString();
      const held = await tx.query<{ id: string; tenant: string }>(
        `SELECT id, tenant FROM ${this.schema}.memories WHERE id = ANY($1::text[])`,
        [memories.map((m) => m.id)],
      );
      assignFreeIds(memories, new Map(held.map((r) => [r.id, r.tenant])));
      for (const [tenant, ms] of byTenant) {
        const w = this.writer(tx, tenant);
        await w.begin(ms.map((m) => m.user));
        try {
          await w.insertMany(
            ms.map((memory) => ({
              memory,
              vector: undefined,
              change: { action: 'import', actor },
              historyAt: at,
              mentions: mentionsOf.get(memory),
            })),
          );
        } catch (e) {
          if ((e as EngramError).code === ErrorCodes.CONFLICT) {
            throw new EngramError(ErrorCodes.CONFLICT, `${(e as Error).message}; nothing was imported`);
          }
          throw e;
        }
        await w.finish();
        all.push({ tenant, effects: w.effects });
      }
    });
    for (const { tenant, effects } of all) this.afterWrite(tenant, { ...effects, changedInPlace: true });
    await this.maybeAnalyze(memories.length);
  }

  async recordAccess(tenant: string, records: AccessRecord[], at: string): Promise<void> {
    this.ensureOpen();
    if (records.length === 0) return;
    // One statement, rows locked in id order: concurrent recalls of the same memories queue, never deadlock.
    const sorted = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    await this.db.query(
      `UPDATE ${this.schema}.memories m SET access_count = m.access_count + 1, last_accessed_at = $2, strength = x.s
       FROM (SELECT * FROM unnest($3::text[], $4::float8[]) WITH ORDINALITY AS u (id, s, i) ORDER BY i) x
       WHERE m.tenant = $1 AND m.id = x.id`,
      [tenant, at, sorted.map((r) => r.id), sorted.map((r) => r.strength)],
    );
  }

  async putVectors(tenant: string, model: string, records: VectorRecord[]): Promise<void> {
    this.ensureOpen();
    if (records.length === 0) return;
    const effects = await this.db.transaction(async (tx) => {
      const rows = await tx.query<{ seq: string; id: string; user_id: string }>(
        `SELECT seq, id, user_id FROM ${this.schema}.memories WHERE tenant = $1 AND id = ANY ($2::text[])`,
        [tenant, records.map((r) => r.id)],
      );
      const w = this.writer(tx, tenant);
      await w.begin(rows.map((r) => r.user_id));
      const seqOf = new Map(rows.map((r) => [r.id, String(r.seq)]));
      for (const r of records) {
        const seq = seqOf.get(r.id);
        if (seq === undefined) continue;
        await w.putVector(seq, { model, vector: r.vector });
      }
      await w.finish();
      await tx.query(
        `UPDATE ${this.schema}.memories SET embedding_model = $3 WHERE tenant = $1 AND seq = ANY ($2::bigint[])`,
        [tenant, [...seqOf.values()], model],
      );
      return { ...w.effects, changedInPlace: true };
    });
    this.afterWrite(tenant, effects);
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    this.ensureOpen();
    const events = request.event ?? [];
    if (events.length === 0) {
      return searchLists(this.db, this.schema, request, { exact: this.exact, pgvector: this.pgvector });
    }
    const names = new Set([...request.text, ...request.vector].map((q) => q.name));
    if (events.some((q) => names.has(q.name)) || new Set(events.map((q) => q.name)).size !== events.length) {
      throw new EngramError(ErrorCodes.INVALID_INPUT, 'Each query of a search needs its own name');
    }
    // The event lists run beside the one statement of the others, on another connection. Without an indexer
    // the rows may be stale (they are recomputed on the next open with one): nothing is found then.
    const [result, ...found] = await Promise.all([
      searchLists(this.db, this.schema, request, { exact: this.exact, pgvector: this.pgvector }),
      ...events.map((q) =>
        this.options.eventTimes ? searchEventTimes(this.db, this.schema, q) : Promise.resolve([]),
      ),
    ]);
    events.forEach((q, i) => {
      result.lists[q.name] = found[i]!;
    });
    return result;
  }

  get(tenant: string, id: string): Promise<Memory | null> {
    this.ensureOpen();
    return this.reads.get(tenant, id);
  }
  getMany(tenant: string, ids: string[]): Promise<Memory[]> {
    this.ensureOpen();
    return this.reads.getMany(tenant, ids);
  }
  findExact(filter: ScopeFilter, text: string): Promise<Memory | null> {
    this.ensureOpen();
    return this.reads.findExact(filter, text);
  }
  list(tenant: string, query: ListQuery): Promise<Page<Memory>> {
    this.ensureOpen();
    return this.reads.list(tenant, query);
  }
  history(tenant: string, id: string): Promise<HistoryEntry[]> {
    this.ensureOpen();
    return this.reads.history(tenant, id);
  }
  speakers(tenant: string, user: string): Promise<string[]> {
    this.ensureOpen();
    return this.reads.speakers(tenant, user);
  }
  mentions(query: MentionQuery): Promise<MentionRow[]> {
    this.ensureOpen();
    return this.reads.mentions(query);
  }
  unscannedMentions(tenant: string, limit: number): Promise<Memory[]> {
    this.ensureOpen();
    return this.mentionScan.unscanned(tenant, limit);
  }
  saveScannedMentions(tenant: string, scanned: ScannedMentions[]): Promise<void> {
    this.ensureOpen();
    return this.mentionScan.save(tenant, scanned);
  }
  missingVectors(tenant: string, model: string, limit: number): Promise<Memory[]> {
    this.ensureOpen();
    return this.reads.missingVectors(tenant, model, limit);
  }
  stats(tenant: string): Promise<Stats> {
    this.ensureOpen();
    return this.reads.stats(tenant);
  }

  /** The open connection, for the API key store that shares the database. */
  get database(): Database {
    return this.db;
  }

  /** Whether vectors are searched with pgvector (else exactly in this process). */
  get usesPgvector(): boolean {
    return this.pgvector !== null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.exact?.clear();
    await this.db.close();
  }
}
