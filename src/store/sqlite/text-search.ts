import type Database from 'better-sqlite3';
import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { CommonTermsPlan, ScopeFilter, ScoredId, TextQuery } from '../types.js';
import { scopeWhere } from './filters.js';
import { scopeToken } from './fts-index.js';
import { ReadWorker } from './read-worker.js';

/** An FTS5 OR-query of quoted words. */
function orTerms(terms: string[]): string {
  return terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ');
}

/** Rows from which a full-text query is split across two threads; below it the split costs more than it saves. */
const SPLIT_READS_FROM = 20_000;
/**
 * Tokens in the full-text index (all columns, all tenants) from which a query below SPLIT_READS_FROM rows is
 * scored whole on the read worker. A query reads its words' posting lists table-wide, so its cost follows the
 * index's size, not the row count: 100 turns of 9,000 characters (about 1.3M tokens with their context column)
 * held the event loop for 50-110 ms in one statement, which no slicing can split. A LoCoMo conversation of 700
 * turns is about 50k tokens and stays on this thread.
 */
const OFF_THREAD_TOKENS = 400_000;

export interface TextSearchOptions {
  busyTimeoutMs: number;
  /** Default SPLIT_READS_FROM; tests lower it. */
  splitReadsFrom?: number;
  /** Default OFF_THREAD_TOKENS; tests change it. */
  offThreadTokens?: number;
}

/**
 * Plans and runs BM25 queries on FTS5: scope narrowing through the scope token, a time range through rowid
 * bounds, the caller's common-terms plan, and splitting large reads with a second thread. The plan only
 * changes speed, except where the caller's CommonTermsPlan asks to leave words out.
 */
export class TextSearch {
  /** Rows in the table and per user (tenant\u0000user), for the choice of plan; null = not counted. */
  private rowCounts: { total: number; byUser: Map<string, number> } | null = null;
  /** Document frequencies of query words, and the table size they were counted at. */
  private dfCache = { basis: 0, counts: new Map<string, number>() };
  /** Second connection for splitting large reads; undefined = not started, null = not available. */
  private reader: ReadWorker | null | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly options: TextSearchOptions,
  ) {}

  /** Keeps the row counts current after this connection inserted memories of these users. */
  inserted(memories: { tenant: string; user: string }[]): void {
    if (!this.rowCounts) return;
    this.rowCounts.total += memories.length;
    for (const m of memories) {
      const key = `${m.tenant}\u0000${m.user}`;
      const n = this.rowCounts.byUser.get(key);
      if (n !== undefined) this.rowCounts.byUser.set(key, n + 1);
    }
  }

  /** Forgets the row counts (after rows were removed or imported). */
  forgetCounts(): void {
    this.rowCounts = null;
  }

  async close(): Promise<void> {
    await this.reader?.close();
  }

  async search(q: TextQuery): Promise<ScoredId[]> {
    const { filter, limit } = q;
    const unique = [...new Set(q.terms.filter((t) => t.length > 0))];
    if (unique.length === 0 || limit <= 0) return [];
    const w = q.contextWeight;
    if (!Number.isFinite(w) || w < 0) {
      throw new EngramError(ErrorCodes.INVALID_INPUT, 'contextWeight must be a number >= 0');
    }
    const where = scopeWhere(filter);
    const offThread = this.indexTokens() >= (this.options.offThreadTokens ?? OFF_THREAD_TOKENS);
    if (filter.occurredFrom !== undefined || filter.occurredTo !== undefined) {
      return this.searchInTime(filter, orTerms(unique), w, limit, offThread);
    }
    const counts = this.rowsOf(filter.tenant, filter.user);
    // Without a user, `counts.user` is the whole table.
    const match = this.matchExpression(unique, counts.user, counts.total, q.commonTerms);
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
      const top = await this.bestMatches(expression, w, fetch, rows, offThread);
      const hits = this.inScope(top, where, limit);
      // Fewer rows than asked for means every match was seen, so the hits in scope are all there are.
      if (hits.length >= limit || top.length < fetch) return hits.slice(0, limit);
    }
    const sql = `SELECT m.id AS id, -bm25(memories_fts, 1.0, ?, 0.0) AS score FROM memories_fts CROSS JOIN memories m ON m.seq = memories_fts.rowid
         WHERE memories_fts MATCH ? AND ${where.sql} ORDER BY score DESC LIMIT ?`;
    const params = [w, exact, ...where.params, limit];
    return (
      (offThread ? await this.onWorker<ScoredId>(sql, params) : null) ??
      (this.db.prepare(sql).all(...params) as ScoredId[])
    );
  }

  /**
   * A read statement run on the read worker, or null where there is none (an in-memory database, a worker
   * that failed to open or ended): the caller runs it on this thread, where an error of the query's own is
   * raised again.
   */
  private async onWorker<T>(sql: string, params: unknown[]): Promise<T[] | null> {
    const worker = this.readWorker();
    if (!worker || !(await worker.opened) || !worker.available) return null;
    try {
      return await worker.all<T>(sql, params);
    } catch {
      return null;
    }
  }

  /**
   * The FTS5 expression for a query's words under the caller's common-terms plan (CommonTermsPlan in
   * ../types.ts): in a scope of at least `fromScopeRows` rows, words in at least `dropShare` of the table are
   * left out while others remain, and words in at least `ownTextShare` are matched in the own text only
   * (`terms` column), not in the neighbours' context, where most of their matches come from.
   */
  private matchExpression(terms: string[], rows: number, total: number, plan?: CommonTermsPlan): string {
    if (!plan || rows < plan.fromScopeRows || total === 0) return orTerms(terms);
    const share = new Map(terms.map((t) => [t, this.documentFrequency(t) / total]));
    const kept = terms.filter((t) => share.get(t)! < plan.dropShare);
    const words = kept.length > 0 ? kept : terms;
    const own = words.filter((t) => share.get(t)! >= plan.ownTextShare);
    const both = words.filter((t) => share.get(t)! < plan.ownTextShare);
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
   * (they are table-wide), so every score is the same too. A long query (`offThread`) is scored on the worker
   * whole, whatever the size: the same statement on the same committed data, off the event loop.
   */
  private async bestMatches(
    expression: string,
    w: number,
    limit: number,
    rows: number,
    offThread: boolean,
  ): Promise<{ seq: number; score: number }[]> {
    const query = (range: string) =>
      `SELECT rowid AS seq, -bm25(memories_fts, 1.0, ?, 0.0) AS score FROM memories_fts
       WHERE memories_fts MATCH ? ${range} ORDER BY score DESC LIMIT ?`;
    type Scored = { seq: number; score: number };
    const split = rows >= (this.options.splitReadsFrom ?? SPLIT_READS_FROM);
    if (offThread && !split) {
      const whole = await this.onWorker<Scored>(query(''), [w, expression, limit]);
      if (whole) return whole;
    }
    const reader = split ? this.readWorker() : null;
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

  /**
   * Tokens in the index, from FTS5's averages record (id 1 of the data table: SQLite varints, the row count
   * then each column's token total). One row read by its key; 0 when the record is missing. A contentless-delete
   * table never lowers these totals, so rewritten rows (a turn's context column, rewritten when the next turn
   * arrives) count again until the next rebuild: an upper estimate, as a cost estimate may be.
   */
  indexTokens(): number {
    const row = this.db.prepare('SELECT block FROM memories_fts_data WHERE id = 1').get() as
      | { block: Buffer }
      | undefined;
    if (!row) return 0;
    const values = readVarints(row.block);
    return values.slice(1).reduce((a, b) => a + b, 0);
  }

  /** The read worker, started on first need for a file database; null where there is none. */
  private readWorker(): ReadWorker | null {
    if (this.reader === undefined) {
      this.reader =
        this.path === ':memory:' || this.path === ''
          ? null
          : new ReadWorker(this.path, this.options.busyTimeoutMs);
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
          .get(tenant, user) as {
          n: number;
        }
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
  private async searchInTime(
    filter: ScopeFilter,
    match: string,
    w: number,
    limit: number,
    offThread: boolean,
  ): Promise<ScoredId[]> {
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
    const sql = `WITH f AS MATERIALIZED (
           SELECT rowid AS seq, -bm25(memories_fts, 1.0, ?, 0.0) AS score FROM memories_fts
           WHERE memories_fts MATCH ? AND rowid BETWEEN ? AND ?)
         SELECT m.id AS id, f.score AS score FROM f CROSS JOIN memories m ON m.seq = f.seq
         WHERE ${where.sql} ORDER BY f.score DESC LIMIT ?`;
    const params = [w, match, lo, hi, ...where.params, limit];
    return (
      (offThread ? await this.onWorker<ScoredId>(sql, params) : null) ??
      (this.db.prepare(sql).all(...params) as ScoredId[])
    );
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
}

/** SQLite's varints (big-endian, 7 bits a byte, the ninth byte whole) in a buffer, as numbers. */
export function readVarints(buf: Uint8Array): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < buf.length) {
    let v = 0;
    let n = 0;
    for (;;) {
      const b = buf[i++];
      if (b === undefined) return out;
      n += 1;
      if (n === 9) {
        v = v * 256 + b;
        break;
      }
      v = v * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
    out.push(v);
  }
  return out;
}
