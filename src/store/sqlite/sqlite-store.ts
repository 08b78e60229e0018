import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { monotonicFactory } from 'ulid';
import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { HistoryEntry, ListQuery, Memory, Page, Stats } from '../../core/types.js';
import type { Change, ScopeFilter, ScoredId, Store, TextSearchOptions, VectorRecord } from '../types.js';
import { type FilterableRow, rowMatches, scopeWhere } from './filters.js';
import { FtsIndex, scopeToken } from './fts-index.js';
import { type PurgeState, WalPurger } from './purge.js';
import { ReadWorker } from './read-worker.js';
import {
  type HistoryRow,
  type MemoryRow,
  memoryParams,
  rowToHistory,
  rowToMemory,
  vectorToBlob,
} from './rows.js';
import { FORMAT_MARK, MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import { TopK } from './topk.js';
import { VectorMatrix } from './vector-scan.js';

export interface SqliteStoreOptions {
  /** Turns a memory's text into index terms; must be the same function the query side uses. */
  analyze: (text: string) => string[];
  /** Identifies the analyzer; a change triggers a rebuild of the full-text index on open. */
  analyzerVersion: string;
  /** Milliseconds a writer waits for another process's lock. Default 10 000. */
  busyTimeoutMs?: number;
  /**
   * Rows (in the table, or in the searched user's scope) from which a full-text query is split between this
   * thread and a read worker. Default 20 000; below it the split costs more than it saves. Tests lower it.
   */
  splitReadsFrom?: number;
  /**
   * Bytes of per-user vector matrices kept in memory; the least recently searched scopes are dropped beyond
   * it (and rebuilt from SQLite on their next search). Default 512 MiB. The scope just searched always stays.
   */
  vectorCacheBytes?: number;
  /**
   * Scope size (rows searched) from which words found in a large share of the table are searched more
   * cheaply (see `matchExpression`). Default 20 000: smaller scopes are fast anyway and keep the plain query.
   */
  commonTermsFrom?: number;
}

/** What one cached row costs besides its vector: the id string and the filterable fields (measured ~200 B). */
const CACHED_ROW_BYTES = 200;

const SQLITE_HEADER = 'SQLite format 3\0';
const newId = monotonicFactory();

interface CachedScope {
  ids: string[];
  rows: FilterableRow[];
  /** Row i holds the vector of ids[i]; null while the scope holds no vector. */
  matrix: VectorMatrix | null;
}

/** An FTS5 OR-query of quoted words. */
function orTerms(terms: string[]): string {
  return terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ');
}

function cachedScopeBytes(scope: CachedScope): number {
  return (scope.matrix?.byteLength ?? 0) + scope.ids.length * CACHED_ROW_BYTES;
}

const MEMORY_COLUMNS =
  'id, tenant, user_id, agent, session, kind, speaker, role, text, metadata, occurred_at, created_at, updated_at, ' +
  'valid_from, valid_to, superseded_by, importance, strength, access_count, last_accessed_at, embedding_model, status';

/** The embedded default store: one SQLite file in WAL mode, FTS5 for BM25, vectors as Float32 blobs. */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly vectorCache = new Map<string, CachedScope>();
  /** Rows in the table and per user (tenant\u0000user), for searchText's choice of plan; null = not counted. */
  private rowCounts: { total: number; byUser: Map<string, number> } | null = null;
  /** Document frequencies of query words (for matchExpression), and the table size they were counted at. */
  private dfCache = { basis: 0, counts: new Map<string, number>() };
  /** Second connection for splitting large reads; undefined = not started, null = not available. */
  private reader: ReadWorker | null | undefined;
  private fts!: FtsIndex;
  private purger!: WalPurger;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly options: SqliteStoreOptions,
  ) {
    checkIsSqliteFile(path);
    try {
      this.db = new Database(path);
    } catch (e) {
      throw new EngramError(
        ErrorCodes.NOT_AN_ENGRAM_DB,
        `Cannot open database ${path}: ${(e as Error).message}`,
      );
    }
    try {
      this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
      if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode keeps every committed transaction across a process crash (not power loss), at a
      // fraction of FULL's fsync cost.
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      // Erased text must not linger in freed pages or cells.
      this.db.pragma('secure_delete = ON');
      this.migrate();
      this.fts = new FtsIndex(this.db, options.analyze);
      this.purger = new WalPurger(this.db, path !== ':memory:', options.busyTimeoutMs ?? 10_000);
      this.syncAnalyzer();
    } catch (e) {
      this.db.close();
      throw e;
    }
  }

  static open(path: string, options: SqliteStoreOptions): SqliteStore {
    return new SqliteStore(path, options);
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    const tables = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    const names = new Set(tables.map((t) => t.name));
    if (version > SCHEMA_VERSION) {
      throw new EngramError(
        ErrorCodes.DB_TOO_NEW,
        `${this.path} has schema version ${version}, newer than this Engram (${SCHEMA_VERSION}); upgrade Engram`,
      );
    }
    if (version === 0 && names.size > 0) {
      throw new EngramError(
        ErrorCodes.NOT_AN_ENGRAM_DB,
        `${this.path} is a SQLite database but not an Engram database; choose another --db path`,
      );
    }
    if (version > 0) {
      const mark = names.has('engram_meta')
        ? (this.db.prepare("SELECT value FROM engram_meta WHERE key = 'format'").get() as
            | { value: string }
            | undefined)
        : undefined;
      if (mark?.value !== FORMAT_MARK) {
        throw new EngramError(
          ErrorCodes.NOT_AN_ENGRAM_DB,
          `${this.path} is not an Engram database (no format mark); choose another --db path`,
        );
      }
    }
    for (let v = version + 1; v <= SCHEMA_VERSION; v++) {
      const sql = MIGRATIONS[v]!;
      this.db
        .transaction(() => {
          this.db.exec(sql);
          if (v === 1) {
            this.db.prepare("INSERT INTO engram_meta (key, value) VALUES ('format', ?)").run(FORMAT_MARK);
          }
          this.db.pragma(`user_version = ${v}`);
        })
        .immediate();
    }
  }

  /** Rebuilds the full-text index when the analyzer changed since the file was last written. */
  private syncAnalyzer(): void {
    const row = this.db.prepare("SELECT value FROM engram_meta WHERE key = 'analyzer'").get() as
      | { value: string }
      | undefined;
    if (row?.value === this.options.analyzerVersion) return;
    this.db
      .transaction(() => {
        this.fts.rebuildAll();
        this.db
          .prepare(
            "INSERT INTO engram_meta (key, value) VALUES ('analyzer', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          )
          .run(this.options.analyzerVersion);
      })
      .immediate();
  }

  private ensureOpen(): void {
    if (this.closed) throw new EngramError(ErrorCodes.DB_CLOSED, 'The store is closed');
  }

  private invalidate(tenant: string, user?: string): void {
    for (const key of this.vectorCache.keys()) {
      const [t, u] = key.split('\u0000');
      if (t === tenant && (user === undefined || u === user || u === '')) this.vectorCache.delete(key);
    }
  }

  private writeHistory(
    m: Pick<Memory, 'id' | 'tenant' | 'user'>,
    change: Change,
    at: string,
    before: Memory | null,
    after: Memory | null,
  ): void {
    this.db
      .prepare(
        'INSERT INTO history (memory_id, tenant, user_id, action, actor, at, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        m.id,
        m.tenant,
        m.user,
        change.action,
        change.actor,
        at,
        before ? JSON.stringify(before) : null,
        after ? JSON.stringify(after) : null,
      );
  }

  private insertRow(m: Memory): number {
    const info = this.db
      .prepare(
        `INSERT INTO memories (${MEMORY_COLUMNS}) VALUES (${MEMORY_COLUMNS.split(', ')
          .map((c) => `@${c}`)
          .join(', ')})`,
      )
      .run(memoryParams(m));
    const seq = Number(info.lastInsertRowid);
    this.fts.upsert(seq);
    return seq;
  }

  async insert(
    memories: Memory[],
    vectors: Map<string, { model: string; vector: Float32Array }>,
    change: Change,
  ): Promise<void> {
    this.ensureOpen();
    const putVector = this.db.prepare('INSERT OR REPLACE INTO vectors (seq, model, vector) VALUES (?, ?, ?)');
    this.db
      .transaction(() => {
        for (const m of memories) {
          const seq = this.insertRow(m);
          const v = vectors.get(m.id);
          if (v) putVector.run(seq, v.model, vectorToBlob(v.vector));
          this.writeHistory(m, change, m.createdAt, null, m);
        }
      })
      .immediate();
    // New memories extend the cached scopes instead of dropping them: rebuilding a 100k-memory scope costs
    // over a second, and a chat that stores every turn would pay it on every search.
    for (const m of memories) this.appendToCache(m, vectors.get(m.id));
    if (this.rowCounts) {
      this.rowCounts.total += memories.length;
      for (const m of memories) {
        const key = `${m.tenant}\u0000${m.user}`;
        const n = this.rowCounts.byUser.get(key);
        if (n !== undefined) this.rowCounts.byUser.set(key, n + 1);
      }
    }
  }

  /** Adds a freshly inserted memory (active, current) to the cached vector scopes it belongs to. */
  private appendToCache(m: Memory, v: { model: string; vector: Float32Array } | undefined): void {
    if (!v) return;
    for (const key of [`${m.tenant}\u0000${m.user}\u0000${v.model}`, `${m.tenant}\u0000\u0000${v.model}`]) {
      const scope = this.vectorCache.get(key);
      if (!scope) continue;
      scope.matrix ??= new VectorMatrix(v.vector.length);
      if (scope.matrix.dims !== v.vector.length) {
        this.vectorCache.delete(key);
        continue;
      }
      scope.matrix.push(v.vector);
      scope.ids.push(m.id);
      scope.rows.push({
        agent: m.agent,
        session: m.session,
        kind: m.kind,
        status: m.status,
        validFrom: m.validFrom,
        validTo: m.validTo,
        occurredAt: m.occurredAt,
      });
    }
  }

  async importMemories(memories: Memory[], actor: string): Promise<void> {
    this.ensureOpen();
    this.db
      .transaction(() => {
        giveFreeIds(this.db, memories);
        for (const m of memories) {
          this.insertRow(m);
          this.writeHistory(m, { action: 'import', actor }, new Date().toISOString(), null, m);
        }
      })
      .immediate();
    this.vectorCache.clear();
    this.rowCounts = null;
  }

  async get(tenant: string, id: string): Promise<Memory | null> {
    this.ensureOpen();
    const r = this.db.prepare('SELECT * FROM memories WHERE tenant = ? AND id = ?').get(tenant, id) as
      | MemoryRow
      | undefined;
    return r ? rowToMemory(r) : null;
  }

  async getMany(tenant: string, ids: string[]): Promise<Memory[]> {
    this.ensureOpen();
    if (ids.length === 0) return [];
    const out: Memory[] = [];
    // Chunked to stay below SQLite's bound-parameter limit.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      // `+tenant` keeps the planner on the id index: with many ids it otherwise scans the tenant's rows.
      const rows = this.db
        .prepare(`SELECT * FROM memories WHERE +tenant = ? AND id IN (${chunk.map(() => '?').join(',')})`)
        .all(tenant, ...chunk) as MemoryRow[];
      out.push(...rows.map(rowToMemory));
    }
    const order = new Map(ids.map((id, i) => [id, i]));
    return out.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  }

  async findExact(filter: ScopeFilter, text: string): Promise<Memory | null> {
    this.ensureOpen();
    const where = scopeWhere(filter);
    const r = this.db
      .prepare(`SELECT * FROM memories m WHERE ${where.sql} AND m.text = ? ORDER BY m.seq LIMIT 1`)
      .get(...where.params, text) as MemoryRow | undefined;
    return r ? rowToMemory(r) : null;
  }

  async list(tenant: string, query: ListQuery): Promise<Page<Memory>> {
    this.ensureOpen();
    const statuses: Memory['status'][] = ['active'];
    if (query.includeArchived) statuses.push('archived');
    if (query.includeDeleted) statuses.push('deleted');
    const filter: ScopeFilter = {
      tenant,
      statuses,
      includeSuperseded: query.includeSuperseded ?? true,
    };
    if (query.user !== undefined) filter.user = query.user;
    if (query.agent !== undefined) filter.agent = query.agent;
    if (query.session !== undefined) filter.session = query.session;
    if (query.kind !== undefined) filter.kinds = Array.isArray(query.kind) ? query.kind : [query.kind];
    if (query.occurred?.from) filter.occurredFrom = query.occurred.from;
    if (query.occurred?.to) filter.occurredTo = query.occurred.to;
    const where = scopeWhere(filter);
    const limit = Math.max(1, Math.min(query.limit ?? 100, 1000));
    let after = 0;
    if (query.cursor) {
      after = Number(Buffer.from(query.cursor, 'base64url').toString('utf8'));
      if (!Number.isInteger(after) || after < 0) {
        throw new EngramError(
          ErrorCodes.INVALID_INPUT,
          'Invalid cursor; pass the nextCursor of a previous page',
        );
      }
    }
    const rows = this.db
      .prepare(`SELECT * FROM memories m WHERE ${where.sql} AND m.seq > ? ORDER BY m.seq LIMIT ?`)
      .all(...where.params, after, limit + 1) as MemoryRow[];
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(rowToMemory),
      nextCursor: more && last ? Buffer.from(String(last.seq)).toString('base64url') : null,
    };
  }

  async replace(
    next: Memory,
    change: Change,
    vector?: { model: string; vector: Float32Array } | null,
  ): Promise<Memory> {
    this.ensureOpen();
    const result = this.db
      .transaction(() => {
        const row = this.db
          .prepare('SELECT * FROM memories WHERE tenant = ? AND id = ?')
          .get(next.tenant, next.id) as MemoryRow | undefined;
        if (!row) throw new EngramError(ErrorCodes.NOT_FOUND, `No memory with id ${next.id}`);
        const before = rowToMemory(row);
        const sets = MEMORY_COLUMNS.split(', ')
          .filter((c) => c !== 'id' && c !== 'tenant')
          .map((c) => `${c} = @${c}`)
          .join(', ');
        this.db
          .prepare(`UPDATE memories SET ${sets} WHERE seq = @seq`)
          .run({ ...memoryParams(next), seq: row.seq });
        if (
          before.text !== next.text ||
          before.status !== next.status ||
          before.speaker !== next.speaker ||
          before.validTo !== next.validTo
        ) {
          // Neighbours carry this turn in their context: refresh them as well (a deleted turn drops out).
          const around = this.fts.neighboursOf(row.seq);
          this.fts.upsert(row.seq);
          this.fts.refresh(around);
        }
        if (vector === null) this.db.prepare('DELETE FROM vectors WHERE seq = ?').run(row.seq);
        else if (vector) {
          this.db.prepare('DELETE FROM vectors WHERE seq = ?').run(row.seq);
          this.db
            .prepare('INSERT INTO vectors (seq, model, vector) VALUES (?, ?, ?)')
            .run(row.seq, vector.model, vectorToBlob(vector.vector));
        }
        this.writeHistory(next, change, next.updatedAt, before, next);
        return next;
      })
      .immediate();
    this.invalidate(next.tenant, next.user);
    return result;
  }

  async erase(tenant: string, target: { id?: string; user?: string }, actor: string): Promise<number> {
    this.ensureOpen();
    if (!target.id && target.user === undefined) {
      throw new EngramError(ErrorCodes.INVALID_INPUT, 'erase needs an id or a user');
    }
    const rows = (
      target.id
        ? this.db
            .prepare('SELECT seq, id, user_id FROM memories WHERE tenant = ? AND id = ?')
            .all(tenant, target.id)
        : this.db
            .prepare('SELECT seq, id, user_id FROM memories WHERE tenant = ? AND user_id = ?')
            .all(tenant, target.user)
    ) as { seq: number; id: string; user_id: string }[];
    if (target.id && rows.length === 0) {
      throw new EngramError(ErrorCodes.NOT_FOUND, `No memory with id ${target.id}`);
    }
    const at = new Date().toISOString();
    this.db
      .transaction(() => {
        const delVec = this.db.prepare('DELETE FROM vectors WHERE seq = ?');
        const delMem = this.db.prepare('DELETE FROM memories WHERE seq = ?');
        const delHist = this.db.prepare('DELETE FROM history WHERE tenant = ? AND memory_id = ?');
        const around = new Set<number>();
        for (const r of rows) {
          for (const n of this.fts.neighboursOf(r.seq)) around.add(n);
          this.fts.remove(r.seq);
          delVec.run(r.seq);
          delMem.run(r.seq);
          delHist.run(tenant, r.id);
          // A tombstone without any text, so that the erasure itself stays auditable.
          this.writeHistory(
            { id: r.id, tenant, user: r.user_id },
            { action: 'erase', actor },
            at,
            null,
            null,
          );
        }
        // Neighbouring turns kept the erased text in their context column.
        for (const r of rows) around.delete(r.seq);
        this.fts.refresh(around);
        if (target.user !== undefined) {
          // History of memories already gone (e.g. superseded then erased) that still names the user.
          this.db
            .prepare("DELETE FROM history WHERE tenant = ? AND user_id = ? AND action <> 'erase'")
            .run(tenant, target.user);
        }
      })
      .immediate();
    this.purger.purge();
    this.invalidate(tenant, target.user ?? rows[0]?.user_id);
    this.rowCounts = null;
    return rows.length;
  }

  /** Whether every erased byte is gone from the file and its WAL (see purge.ts). */
  purgeState(): PurgeState {
    return this.purger.state();
  }

  /** Resolves once a purge held back by a reader has completed. */
  whenPurged(): Promise<void> {
    return this.purger.whenPurged();
  }

  async history(tenant: string, id: string): Promise<HistoryEntry[]> {
    this.ensureOpen();
    const rows = this.db
      .prepare('SELECT * FROM history WHERE tenant = ? AND memory_id = ? ORDER BY seq')
      .all(tenant, id) as HistoryRow[];
    return rows.map(rowToHistory);
  }

  async searchText(
    filter: ScopeFilter,
    terms: string[],
    limit: number,
    options: TextSearchOptions = {},
  ): Promise<ScoredId[]> {
    this.ensureOpen();
    const unique = [...new Set(terms.filter((t) => t.length > 0))];
    if (unique.length === 0 || limit <= 0) return [];
    const w = options.contextWeight ?? 0.25;
    if (!Number.isFinite(w) || w < 0)
      throw new EngramError(ErrorCodes.INVALID_INPUT, 'contextWeight must be >= 0');
    const where = scopeWhere(filter);
    if (filter.occurredFrom !== undefined || filter.occurredTo !== undefined) {
      return this.searchTextInTime(filter, orTerms(unique), w, limit);
    }
    const counts = this.rowsOf(filter.tenant, filter.user);
    // Without a user, `counts.user` is the whole table.
    const match = this.matchExpression(unique, counts.user, counts.total);
    // FTS first, scope second. Joining every match with its memory row to test the scope costs more than
    // scoring it (40 ms for a query at 100k memories); so take the best matches from FTS5 alone, keep those in
    // scope, and only when too few are run the exact join. The scope filter cannot change a score: the scope
    // column weighs 0, so its phrase adds exactly 0 to each BM25 sum.
    const fetch = Math.max(limit * 4, 200);
    const plans: { expression: string; rows: number }[] = [];
    let exact = match;
    if (filter.user !== undefined) {
      // One user's scope: FTS5 intersects the query's posting lists with the user's scope token, so the cost
      // follows the user's matches, not the tenant's.
      exact = `{terms context} : (${match}) AND scope : "${scopeToken(filter.tenant, filter.user)}"`;
      // A session, agent or kind keeps few of the user's best matches: straight to the exact join.
      const narrow =
        filter.session !== undefined ||
        filter.agent !== undefined ||
        (filter.kinds !== undefined && filter.kinds.length > 0);
      if (!narrow) {
        const { user, total } = counts;
        // A user who holds most of the table gains nothing from the scope token: intersecting with its
        // posting list (and counting it for its idf) costs a quarter of the query at 100k memories, and their
        // best matches overall are nearly all theirs.
        if (user >= total / 2) plans.push({ expression: `{terms context} : (${match})`, rows: total });
        plans.push({ expression: exact, rows: user });
      }
    } else {
      plans.push({ expression: match, rows: counts.total });
    }
    for (const { expression, rows } of plans) {
      const top = await this.bestMatches(expression, w, fetch, rows);
      const hits = this.inScope(top, where, limit);
      // Fewer rows than asked for means every match was seen, so the hits in scope are all there are.
      if (hits.length >= limit || top.length < fetch) return hits.slice(0, limit);
    }
    return this.db
      .prepare(
        `SELECT m.id AS id, -bm25(memories_fts, 1.0, ?, 0.0) AS score FROM memories_fts CROSS JOIN memories m ON m.seq = memories_fts.rowid
         WHERE memories_fts MATCH ? AND ${where.sql} ORDER BY score DESC LIMIT ?`,
      )
      .all(w, exact, ...where.params, limit) as ScoredId[];
  }

  /**
   * The FTS5 expression for a query's words. In a large scope (from `commonTermsFrom` rows) the words found in
   * many memories are what makes a query slow: FTS5 scores every memory that holds any query word, and
   * "think" or "went" are in 40-70 % of a heavy user's memories (with their neighbours' text). So:
   * - a word in at least half of the table is left out when other words remain: its idf is at its floor (0
   *   with exact table statistics, at most log 3 with the row count FTS5 inflates on re-indexing; see
   *   docs/retrieval.md "BM25 statistics"), so it adds little to any score but many matches to score;
   * - a word in at least a fifth of the table is matched in the memory's own text only, not in the context of
   *   its neighbours, which is where most of its matches come from and where it says least.
   * Both change the candidate list a little (docs/retrieval.md, "Speed", has the recall check); smaller
   * scopes, every LoCoMo conversation among them, keep the plain query.
   */
  private matchExpression(terms: string[], rows: number, total: number): string {
    if (rows < (this.options.commonTermsFrom ?? LARGE_SCOPE_ROWS) || total === 0) return orTerms(terms);
    const share = new Map(terms.map((t) => [t, this.documentFrequency(t) / total]));
    const kept = terms.filter((t) => share.get(t)! < 0.5);
    const words = kept.length > 0 ? kept : terms;
    const own = words.filter((t) => share.get(t)! >= 0.2);
    const both = words.filter((t) => share.get(t)! < 0.2);
    if (own.length === 0) return orTerms(both);
    if (both.length === 0) return `{terms} : (${orTerms(own)})`;
    return `{terms context} : (${orTerms(both)}) OR {terms} : (${orTerms(own)})`;
  }

  /** Rows whose own text or context holds `term`, cached until the table has grown or shrunk by a tenth. */
  private documentFrequency(term: string): number {
    const total = this.rowCounts?.total ?? 0;
    if (Math.abs(total - this.dfCache.basis) > this.dfCache.basis / 10 || this.dfCache.counts.size > 50_000) {
      this.dfCache = { basis: total, counts: new Map() };
    }
    let n = this.dfCache.counts.get(term);
    if (n === undefined) {
      n = (
        this.db
          .prepare('SELECT count(*) AS n FROM memories_fts WHERE memories_fts MATCH ?')
          .get(`{terms context} : ${orTerms([term])}`) as { n: number }
      ).n;
      this.dfCache.counts.set(term, n);
    }
    return n;
  }

  /**
   * The `limit` best full-text matches of an FTS5 expression by BM25 (ties in rowid order, as SQLite's sorter
   * leaves them), from the index alone. When the expression may match many of `rows` rows, the rowid range is
   * split: the read worker scores the upper half while this thread scores the lower one, and the two best
   * lists merge into exactly the list one query returns. Each half computes the same idf and average length
   * (they are table-wide), so every score is the same too.
   */
  private async bestMatches(
    expression: string,
    w: number,
    limit: number,
    rows: number,
  ): Promise<{ seq: number; score: number }[]> {
    const query = (range: string) =>
      `SELECT rowid AS seq, -bm25(memories_fts, 1.0, ?, 0.0) AS score FROM memories_fts
       WHERE memories_fts MATCH ? ${range} ORDER BY score DESC LIMIT ?`;
    type Scored = { seq: number; score: number };
    const reader = rows >= (this.options.splitReadsFrom ?? LARGE_SCOPE_ROWS) ? this.readWorker() : null;
    const { lo, hi } = reader?.available
      ? (this.db.prepare('SELECT min(seq) AS lo, max(seq) AS hi FROM memories').get() as {
          lo: number | null;
          hi: number | null;
        })
      : { lo: null, hi: null };
    if (!reader || lo === null || hi === null || hi <= lo) {
      return this.db.prepare(query('')).all(w, expression, limit) as Scored[];
    }
    const mid = lo + Math.floor((hi - lo) / 2);
    const upperQuery = query('AND rowid > ?');
    const upper = reader.all<Scored>(upperQuery, [w, expression, mid, limit]);
    // An error here is the query's own (the worker would raise the same): drop the other half's answer.
    upper.catch(() => {});
    const lower = this.db.prepare(query('AND rowid <= ?')).all(w, expression, mid, limit) as Scored[];
    let top: Scored[];
    try {
      top = await upper;
    } catch {
      top = this.db.prepare(upperQuery).all(w, expression, mid, limit) as Scored[];
    }
    return [...lower, ...top].sort((a, b) => b.score - a.score || a.seq - b.seq).slice(0, limit);
  }

  /** The read worker, started on first need for a file database; null where there is none. */
  private readWorker(): ReadWorker | null {
    if (this.reader === undefined) {
      this.reader =
        this.path === ':memory:' || this.path === ''
          ? null
          : new ReadWorker(this.path, this.options.busyTimeoutMs ?? 10_000);
    }
    return this.reader;
  }

  /**
   * Rows in the table (each memory has one full-text row) and the user's, counted once and kept up to date by
   * this connection's inserts. Another process's writes can leave them stale; they only pick a query plan.
   */
  private rowsOf(tenant: string, user?: string): { total: number; user: number } {
    if (!this.rowCounts) {
      const { n } = this.db.prepare('SELECT count(*) AS n FROM memories').get() as { n: number };
      this.rowCounts = { total: n, byUser: new Map() };
    }
    if (user === undefined) return { total: this.rowCounts.total, user: this.rowCounts.total };
    const key = `${tenant}\u0000${user}`;
    let n = this.rowCounts.byUser.get(key);
    if (n === undefined) {
      n = (
        this.db
          .prepare('SELECT count(*) AS n FROM memories WHERE tenant = ? AND user_id = ?')
          .get(tenant, user) as { n: number }
      ).n;
      this.rowCounts.byUser.set(key, n);
    }
    return { total: this.rowCounts.total, user: n };
  }

  /**
   * BM25 within a time range. Left to itself SQLite walks the time index and asks FTS5 for each row in turn
   * (seconds for a month of a heavy user); instead bound the FTS5 scan by the range's rowids (memories are
   * mostly written in time order) and filter exactly afterwards.
   */
  private searchTextInTime(filter: ScopeFilter, match: string, w: number, limit: number): ScoredId[] {
    const where = scopeWhere(filter);
    let lo = Number.MIN_SAFE_INTEGER;
    let hi = Number.MAX_SAFE_INTEGER;
    if (filter.user !== undefined) {
      const bounds = this.db
        .prepare(
          `SELECT min(seq) AS lo, max(seq) AS hi FROM memories
           WHERE tenant = ? AND user_id = ? AND occurred_at >= ? AND occurred_at < ?`,
        )
        .get(filter.tenant, filter.user, filter.occurredFrom ?? '', filter.occurredTo ?? '\uffff') as {
        lo: number | null;
        hi: number | null;
      };
      if (bounds.lo === null || bounds.hi === null) return [];
      lo = bounds.lo;
      hi = bounds.hi;
    }
    return this.db
      .prepare(
        `WITH f AS MATERIALIZED (
           SELECT rowid AS seq, -bm25(memories_fts, 1.0, ?, 0.0) AS score FROM memories_fts
           WHERE memories_fts MATCH ? AND rowid BETWEEN ? AND ?)
         SELECT m.id AS id, f.score AS score FROM f CROSS JOIN memories m ON m.seq = f.seq
         WHERE ${where.sql} ORDER BY f.score DESC LIMIT ?`,
      )
      .all(w, match, lo, hi, ...where.params, limit) as ScoredId[];
  }

  /**
   * The scored rows whose memory is in the scope, best first; at least `want` of them when there are that
   * many. The best rows are looked up first: when the scope keeps most rows (a heavy user, few deletions), a
   * prefix is enough, and each lookup is a page read at random in a large file.
   */
  private inScope(
    rows: { seq: number; score: number }[],
    where: { sql: string; params: unknown[] },
    want: number,
  ): ScoredId[] {
    const first = Math.min(rows.length, Math.ceil(want * 1.25));
    const out = this.lookUpInScope(rows.slice(0, first), where);
    if (out.length >= want || first === rows.length) return out;
    return out.concat(this.lookUpInScope(rows.slice(first), where));
  }

  /** The scored rows whose memory is in the scope, best first (CROSS JOIN: look rows up by seq, never scan). */
  private lookUpInScope(
    rows: { seq: number; score: number }[],
    where: { sql: string; params: unknown[] },
  ): ScoredId[] {
    if (rows.length === 0) return [];
    const kept = this.db
      .prepare(
        `SELECT m.seq AS seq, m.id AS id FROM json_each(?) c CROSS JOIN memories m ON m.seq = c.value WHERE ${where.sql}`,
      )
      .all(JSON.stringify(rows.map((r) => r.seq)), ...where.params) as { seq: number; id: string }[];
    const idOf = new Map(kept.map((k) => [k.seq, k.id]));
    const out: ScoredId[] = [];
    for (const r of rows) {
      const id = idOf.get(r.seq);
      if (id !== undefined) out.push({ id, score: r.score });
    }
    return out;
  }

  private scopeVectors(tenant: string, user: string | undefined, model: string): CachedScope {
    const key = `${tenant}\u0000${user ?? ''}\u0000${model}`;
    const hit = this.vectorCache.get(key);
    if (hit) {
      // Map order is the LRU order: a hit moves to the back.
      this.vectorCache.delete(key);
      this.vectorCache.set(key, hit);
      return hit;
    }
    const all = (
      user === undefined
        ? this.db
            .prepare(
              `SELECT m.id, m.agent, m.session, m.kind, m.status, m.valid_from, m.valid_to, m.occurred_at, v.vector
               FROM vectors v JOIN memories m ON m.seq = v.seq WHERE m.tenant = ? AND v.model = ? ORDER BY m.seq`,
            )
            .all(tenant, model)
        : this.db
            .prepare(
              `SELECT m.id, m.agent, m.session, m.kind, m.status, m.valid_from, m.valid_to, m.occurred_at, v.vector
               FROM memories m JOIN vectors v ON v.seq = m.seq
               WHERE m.tenant = ? AND m.user_id = ? AND v.model = ? ORDER BY m.seq`,
            )
            .all(tenant, user, model)
    ) as (Pick<
      MemoryRow,
      'id' | 'agent' | 'session' | 'kind' | 'status' | 'valid_from' | 'valid_to' | 'occurred_at'
    > & {
      vector: Buffer;
    })[];
    // One model has one dimension; a stray blob of another size is left out rather than misread.
    const bytes = all[0]?.vector.byteLength ?? 0;
    const rows = all.filter((r) => r.vector.byteLength === bytes);
    const matrix = bytes > 0 ? new VectorMatrix(bytes / 4, rows.length) : null;
    for (const r of rows) matrix!.pushBytes(r.vector);
    const scope: CachedScope = {
      ids: rows.map((r) => r.id),
      rows: rows.map((r) => ({
        agent: r.agent,
        session: r.session,
        kind: r.kind,
        status: r.status,
        validFrom: r.valid_from,
        validTo: r.valid_to,
        occurredAt: r.occurred_at,
      })),
      matrix,
    };
    this.vectorCache.set(key, scope);
    this.evictVectors(key);
    return scope;
  }

  /** Drops the least recently used scopes (never `keep`) until the cache fits its byte budget. */
  private evictVectors(keep: string): void {
    const budget = this.options.vectorCacheBytes ?? 512 * 1024 * 1024;
    let total = this.vectorCacheUsage().bytes;
    for (const [key, scope] of this.vectorCache) {
      if (total <= budget) break;
      if (key === keep) continue;
      this.vectorCache.delete(key);
      total -= cachedScopeBytes(scope);
    }
  }

  /** Cached vector scopes and their estimated bytes, for tests and diagnostics. */
  vectorCacheUsage(): { scopes: number; bytes: number } {
    let bytes = 0;
    for (const scope of this.vectorCache.values()) bytes += cachedScopeBytes(scope);
    return { scopes: this.vectorCache.size, bytes };
  }

  async searchVector(
    filter: ScopeFilter,
    model: string,
    query: Float32Array,
    limit: number,
  ): Promise<ScoredId[]> {
    this.ensureOpen();
    const scope = this.scopeVectors(filter.tenant, filter.user, model);
    const { matrix, rows } = scope;
    if (!matrix || matrix.rows === 0 || limit <= 0) return [];
    if (matrix.dims !== query.length) {
      throw new EngramError(
        ErrorCodes.EMBEDDER_ERROR,
        `Query vector has ${query.length} dimensions but stored ${model} vectors have ${matrix.dims}`,
      );
    }
    const top = new TopK(limit);
    // Every row's score in one pass (SIMD), then the scope's rows among them.
    const scores = matrix.scores(query);
    if (isPlainScope(filter)) {
      // The common scope (active, current, no other filter): a flag per row instead of reading row objects
      // keeps the loop on typed arrays, twice as fast at 100k memories.
      const live = liveFlags(scope);
      for (let i = 0; i < rows.length; i++) if (live[i] === 1) top.push(i, scores[i]!);
    } else {
      for (let i = 0; i < rows.length; i++) {
        if (rowMatches(filter, rows[i]!)) top.push(i, scores[i]!);
      }
    }
    return top.result().map((r) => ({ id: scope.ids[r.index]!, score: r.score }));
  }

  async speakers(tenant: string, user: string): Promise<string[]> {
    this.ensureOpen();
    const rows = this.db
      .prepare(
        'SELECT DISTINCT speaker FROM memories WHERE tenant = ? AND user_id = ? AND speaker IS NOT NULL LIMIT 200',
      )
      .all(tenant, user) as { speaker: string }[];
    return rows.map((r) => r.speaker);
  }

  async touch(tenant: string, ids: string[], at: string, strengthBoost: number): Promise<void> {
    this.ensureOpen();
    if (ids.length === 0) return;
    const stmt = this.db.prepare(
      `UPDATE memories SET access_count = access_count + 1, last_accessed_at = ?,
       strength = min(1.0, strength + ?) WHERE tenant = ? AND id = ?`,
    );
    this.db
      .transaction(() => {
        for (const id of ids) stmt.run(at, strengthBoost, tenant, id);
      })
      .immediate();
  }

  async missingVectors(tenant: string, model: string, limit: number): Promise<Memory[]> {
    this.ensureOpen();
    const rows = this.db
      .prepare(
        `SELECT m.* FROM memories m WHERE m.tenant = ?
         AND NOT EXISTS (SELECT 1 FROM vectors v WHERE v.seq = m.seq AND v.model = ?) ORDER BY m.seq LIMIT ?`,
      )
      .all(tenant, model, limit) as MemoryRow[];
    return rows.map(rowToMemory);
  }

  async putVectors(tenant: string, model: string, records: VectorRecord[]): Promise<void> {
    this.ensureOpen();
    const seqOf = this.db.prepare('SELECT seq FROM memories WHERE tenant = ? AND id = ?');
    const del = this.db.prepare('DELETE FROM vectors WHERE seq = ?');
    const put = this.db.prepare('INSERT INTO vectors (seq, model, vector) VALUES (?, ?, ?)');
    const setModel = this.db.prepare('UPDATE memories SET embedding_model = ? WHERE seq = ?');
    this.db
      .transaction(() => {
        for (const r of records) {
          const row = seqOf.get(tenant, r.id) as { seq: number } | undefined;
          if (!row) continue;
          // One vector per memory: a memory records exactly one embedding model.
          del.run(row.seq);
          put.run(row.seq, model, vectorToBlob(r.vector));
          setModel.run(model, row.seq);
        }
      })
      .immediate();
    this.invalidate(tenant);
  }

  async stats(tenant: string): Promise<Stats> {
    this.ensureOpen();
    const count = (sql: string, ...p: unknown[]) => (this.db.prepare(sql).get(...p) as { n: number }).n;
    const group = (sql: string) =>
      Object.fromEntries(
        (this.db.prepare(sql).all(tenant) as { k: string; n: number }[]).map((r) => [r.k, r.n]),
      ) as Record<string, number>;
    const pageCount = this.db.pragma('page_count', { simple: true }) as number;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    return {
      memories: count('SELECT count(*) AS n FROM memories WHERE tenant = ?', tenant),
      byKind: group('SELECT kind AS k, count(*) AS n FROM memories WHERE tenant = ? GROUP BY kind'),
      byStatus: group('SELECT status AS k, count(*) AS n FROM memories WHERE tenant = ? GROUP BY status'),
      users: count('SELECT count(DISTINCT user_id) AS n FROM memories WHERE tenant = ?', tenant),
      sessions: count(
        'SELECT count(*) AS n FROM (SELECT DISTINCT user_id, session FROM memories WHERE tenant = ? AND session IS NOT NULL)',
        tenant,
      ),
      historyEntries: count('SELECT count(*) AS n FROM history WHERE tenant = ?', tenant),
      vectors: group(
        'SELECT v.model AS k, count(*) AS n FROM vectors v JOIN memories m ON m.seq = v.seq WHERE m.tenant = ? GROUP BY v.model',
      ),
      dbBytes: pageCount * pageSize,
      schemaVersion: SCHEMA_VERSION,
    };
  }

  /** For tests and diagnostics: runs PRAGMA integrity_check. */
  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.vectorCache.clear();
    this.purger.close();
    await this.reader?.close();
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

/**
 * Rows from which a full-text query is split across two threads (below it, the split costs more than it
 * saves) and common query words are planned (matchExpression); the defaults of both options.
 */
const LARGE_SCOPE_ROWS = 20_000;

const liveCache = new WeakMap<CachedScope, Uint8Array>();

/** 1 for each cached row that is active and current; rebuilt when the scope has grown. */
function liveFlags(scope: CachedScope): Uint8Array {
  let live = liveCache.get(scope);
  if (!live || live.length !== scope.rows.length) {
    live = Uint8Array.from(scope.rows, (r) => (r.status === 'active' && r.validTo === null ? 1 : 0));
    liveCache.set(scope, live);
  }
  return live;
}

/** Whether a filter asks for no more than the default: active, current memories of a tenant/user. */
function isPlainScope(f: ScopeFilter): boolean {
  return (
    f.agent === undefined &&
    f.session === undefined &&
    (f.kinds === undefined || f.kinds.length === 0) &&
    (f.statuses === undefined || (f.statuses.length === 1 && f.statuses[0] === 'active')) &&
    !f.includeSuperseded &&
    f.asOf === undefined &&
    f.occurredFrom === undefined &&
    f.occurredTo === undefined
  );
}

/**
 * Ids are unique in the file, but a tenant must not learn which ids other tenants hold: an imported id that
 * exists in the importing tenant is a CONFLICT (nothing is imported), one held by another tenant is replaced
 * by a new id, as are references to it (supersededBy) within the import.
 */
function giveFreeIds(db: Database.Database, memories: Memory[]): void {
  const owner = db.prepare('SELECT tenant FROM memories WHERE id = ?');
  const renamed = new Map<string, string>();
  const seen = new Set<string>();
  for (const m of memories) {
    const held = owner.get(m.id) as { tenant: string } | undefined;
    if ((held && held.tenant === m.tenant) || seen.has(m.id)) {
      throw new EngramError(ErrorCodes.CONFLICT, `Memory ${m.id} already exists; nothing was imported`);
    }
    seen.add(m.id);
    if (held) {
      const fresh = newId();
      renamed.set(m.id, fresh);
      m.id = fresh;
    }
  }
  for (const m of memories) {
    if (m.supersededBy !== null && renamed.has(m.supersededBy)) m.supersededBy = renamed.get(m.supersededBy)!;
  }
}

/** Refuses a non-empty file that is not SQLite before better-sqlite3 could treat it as one. */
function checkIsSqliteFile(path: string): void {
  if (path === ':memory:' || !existsSync(path)) return;
  const st = statSync(path);
  if (st.isDirectory()) {
    throw new EngramError(ErrorCodes.INVALID_INPUT, `${path} is a directory; --db needs a file path`);
  }
  if (st.size === 0) return;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    if (buf.toString('latin1') !== SQLITE_HEADER) {
      throw new EngramError(
        ErrorCodes.NOT_AN_ENGRAM_DB,
        `${path} is not an Engram database (not a SQLite file); choose another --db path`,
      );
    }
  } finally {
    closeSync(fd);
  }
}
