import type { IndexedMemory, TextIndexer } from '../types.js';
import type { Sql } from './db.js';
import { fts5Tokens, termCounts } from './tokens.js';

/** The fields of a memory row the index reads. */
export interface IndexRow extends IndexedMemory {
  seq: string;
  user_id: string;
}

const INDEX_COLUMNS = 'seq, id, user_id, session, kind, speaker, text, status';

/**
 * Keeps the lexical tables (fts_docs, postings, term_stats, fts_stats) in step with `memories`, inside the
 * caller's transaction, for one tenant: the PostgreSQL twin of the SQLite FtsIndex. Each row's entry is
 * (own tokens, context tokens); a turn's context comes from its neighbours (the nearest live turns before and
 * after it in the same session, in write order). Collection statistics change as FTS5's do: every index write
 * adds one row and its tokens to n_rows / n_tokens, which deletes never lower, so that BM25 gives both
 * backends the same scores. Document frequencies are exact.
 *
 * Entries are computed as rows change (neighbours are read from `memories`, which already holds this
 * transaction's rows) but written once, by `flush`: a turn appended to a session re-indexes the one before it,
 * so a conversation of n turns makes 2n entries of which n survive. Statistics are written in sorted order
 * (concurrent writers lock the same rows in the same order: no deadlock).
 */
export class LexicalIndex {
  /** seq → the entry to write; null = remove the row's entry. */
  private readonly pending = new Map<string, Doc | null>();
  /** Rows inserted by this transaction (no entry in the tables yet). */
  private readonly fresh = new Set<string>();
  /** Entries as they were before this transaction, read before their rows were deleted. */
  private readonly before = new Map<string, OldDoc | null>();
  /** user\u0000session → the last live turn this transaction inserted there. */
  private readonly lastTurn = new Map<string, IndexRow>();
  /** seq of a turn this transaction inserted → its previous turn then (null: none). */
  private readonly prevOf = new Map<string, IndexRow | null>();
  private rowsWritten = 0;
  private tokensWritten = 0;

  constructor(
    private readonly tx: Sql,
    private readonly s: string,
    private readonly tenant: string,
    private readonly indexer: TextIndexer,
  ) {}

  private async row(seq: string): Promise<IndexRow | undefined> {
    const rows = await this.tx.query<IndexRow>(
      `SELECT ${INDEX_COLUMNS} FROM ${this.s}.memories WHERE tenant = $1 AND seq = $2`,
      [this.tenant, seq],
    );
    return rows[0];
  }

  /** The turns before and after `r` in its session; with `upTo`, only a following one with seq <= upTo. */
  private async neighbours(r: IndexRow, upTo?: string): Promise<IndexRow[]> {
    if (r.kind !== 'turn' || r.session === null) return [];
    const near = (cmp: string, order: string) =>
      `(SELECT ${INDEX_COLUMNS}, '${order}' AS side FROM ${this.s}.memories
        WHERE tenant = $1 AND user_id = $2 AND session = $3 AND kind = 'turn' AND status <> 'deleted'
          AND valid_to IS NULL AND seq ${cmp} $4 ORDER BY seq ${order} LIMIT 1)`;
    const rows = await this.tx.query<IndexRow & { side: string }>(
      `${near('<', 'DESC')} UNION ALL ${near('>', 'ASC')}`,
      [this.tenant, r.user_id, r.session, r.seq],
    );
    const before = rows.find((n) => n.side === 'DESC');
    const after = rows.find((n) => n.side === 'ASC');
    return [
      before,
      after && (upTo === undefined || BigInt(after.seq) <= BigInt(upTo)) ? after : undefined,
    ].filter((n): n is IndexRow & { side: string } => n !== undefined);
  }

  private write(r: IndexRow, neighbours: IndexRow[]): void {
    const own = fts5Tokens(this.indexer.own(r));
    const ctx = fts5Tokens(this.indexer.context(r, neighbours));
    const len = own.length + ctx.length + 1; // + 1: the SQLite index's scope column holds one token
    this.pending.set(String(r.seq), { user: r.user_id, own, ctx, len });
    this.rowsWritten += 1;
    this.tokensWritten += len;
  }

  /**
   * Indexes a row this transaction has just inserted, and refreshes its neighbours. The writer holds its user's
   * lock, so a new row has the highest seq of its user once its batch is written: it has no next turn, and its
   * previous turn is the last live turn of the session this transaction inserted, when there is one.
   */
  async insert(r: IndexRow): Promise<void> {
    const seq = String(r.seq);
    this.fresh.add(seq);
    if (r.kind !== 'turn' || r.session === null) {
      this.write(r, []);
      return;
    }
    if (r.status === 'deleted' || (r as { validTo?: string | null }).validTo != null) {
      // Not anyone's neighbour: the general path (rows after it in this insert's batch are not there yet).
      await this.upsert(r, seq);
      return;
    }
    const key = `${r.user_id}\u0000${r.session}`;
    const last = this.lastTurn.get(key);
    // `seq` bounds the lookups: the rest of a batch of inserts is already in the table but not yet "written".
    const around = last !== undefined ? (last ? [last] : []) : await this.neighbours(r, seq);
    this.write(r, around);
    for (const n of around) {
      const known = this.prevOf.get(String(n.seq));
      this.write(n, known !== undefined ? [...(known ? [known] : []), r] : await this.neighbours(n, seq));
    }
    const prev = around.find((n) => BigInt(n.seq) < BigInt(seq)) ?? null;
    this.prevOf.set(seq, prev);
    this.lastTurn.set(key, r);
  }

  /** Forgets what `insert` knows about sessions (after any change other than an insert). */
  forgetSessions(): void {
    this.lastTurn.clear();
    this.prevOf.clear();
  }

  /** Indexes a new or changed row and refreshes the neighbours whose context names it. */
  async upsert(seqOrRow: string | IndexRow, upTo?: string): Promise<void> {
    const r = typeof seqOrRow === 'string' ? await this.row(seqOrRow) : seqOrRow;
    if (!r) return;
    const around = await this.neighbours(r, upTo);
    this.write(r, around);
    for (const n of around) this.write(n, await this.neighbours(n, upTo));
  }

  /** Call before the row is deleted; returns the neighbours to refresh once it is gone. */
  async neighboursOf(seq: string): Promise<string[]> {
    const r = await this.row(seq);
    return r ? (await this.neighbours(r)).map((n) => String(n.seq)) : [];
  }

  /** Removes rows' entries; call before the rows are deleted (their entries go with them). */
  async remove(seqs: string[]): Promise<void> {
    const unknown = seqs.map(String).filter((q) => !this.fresh.has(q) && !this.before.has(q));
    if (unknown.length > 0) {
      const rows = await this.tx.query<OldDoc>(
        `SELECT seq, user_id, own, ctx FROM ${this.s}.fts_docs WHERE tenant = $1 AND seq = ANY ($2::bigint[])`,
        [this.tenant, unknown],
      );
      for (const r of rows) this.before.set(String(r.seq), r);
      for (const q of unknown) if (!this.before.has(q)) this.before.set(q, null);
    }
    for (const q of seqs) this.pending.set(String(q), null);
  }

  /** Re-indexes rows by seq (those still present). */
  async refresh(seqs: Iterable<string>): Promise<void> {
    for (const seq of seqs) {
      const r = await this.row(seq);
      if (r) this.write(r, await this.neighbours(r));
    }
  }

  /** Writes the entries and the statistics: postings, documents, term rows in sorted order, the tenant's row. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const s = this.s;
    const existing = [...this.pending.keys()].filter((seq) => !this.fresh.has(seq) && !this.before.has(seq));
    const old = [...this.before.values()].filter((d): d is OldDoc => d !== null);
    if (existing.length > 0) {
      old.push(
        ...(await this.tx.query<OldDoc>(
          `SELECT seq, user_id, own, ctx FROM ${s}.fts_docs WHERE tenant = $1 AND seq = ANY ($2::bigint[])`,
          [this.tenant, existing],
        )),
      );
    }
    const df = new Map<string, { all: number; own: number }>();
    const count = (own: string[], ctx: string[], sign: 1 | -1) => {
      const mine = new Set(own);
      for (const t of new Set([...own, ...ctx])) {
        const d = df.get(t) ?? { all: 0, own: 0 };
        d.all += sign;
        if (mine.has(t)) d.own += sign;
        df.set(t, d);
      }
    };
    let live = 0;
    const gone = { user: [] as string[], term: [] as string[], seq: [] as string[] };
    for (const o of old) {
      count(o.own, o.ctx, -1);
      live -= 1;
      for (const t of new Set([...o.own, ...o.ctx])) {
        gone.user.push(o.user_id);
        gone.term.push(t);
        gone.seq.push(String(o.seq));
      }
    }
    const put = {
      user: [] as string[],
      term: [] as string[],
      seq: [] as string[],
      own: [] as number[],
      ctx: [] as number[],
      len: [] as number[],
    };
    const docs: { seq: string; user_id: string; own: string[]; ctx: string[]; len: number }[] = [];
    for (const [seq, doc] of this.pending) {
      if (!doc) continue;
      count(doc.own, doc.ctx, 1);
      live += 1;
      docs.push({ seq, user_id: doc.user, own: doc.own, ctx: doc.ctx, len: doc.len });
      const ownCounts = termCounts(doc.own);
      const ctxCounts = termCounts(doc.ctx);
      for (const t of new Set([...ownCounts.keys(), ...ctxCounts.keys()])) {
        put.user.push(doc.user);
        put.term.push(t);
        put.seq.push(seq);
        put.own.push(ownCounts.get(t) ?? 0);
        put.ctx.push(ctxCounts.get(t) ?? 0);
        put.len.push(doc.len);
      }
    }
    if (gone.seq.length > 0) {
      await this.tx.query(
        `DELETE FROM ${s}.postings p USING unnest($2::text[], $3::text[], $4::bigint[]) AS x (u, t, q)
         WHERE p.tenant = $1 AND p.user_id = x.u AND p.term = x.t AND p.seq = x.q`,
        [this.tenant, gone.user, gone.term, gone.seq],
      );
    }
    const removed = [...this.pending.entries()].filter(([, d]) => d === null).map(([seq]) => seq);
    if (removed.length > 0) {
      await this.tx.query(`DELETE FROM ${s}.fts_docs WHERE tenant = $1 AND seq = ANY ($2::bigint[])`, [
        this.tenant,
        removed,
      ]);
    }
    if (docs.length > 0) {
      await this.tx.query(
        `INSERT INTO ${s}.fts_docs (tenant, seq, user_id, own, ctx, len)
         SELECT $1, seq, user_id, own, ctx, len
         FROM json_to_recordset($2::json) AS x (seq bigint, user_id text, own text[], ctx text[], len int)
         ON CONFLICT (tenant, seq) DO UPDATE SET own = excluded.own, ctx = excluded.ctx, len = excluded.len`,
        [this.tenant, JSON.stringify(docs)],
      );
      await this.tx.query(
        `INSERT INTO ${s}.postings (tenant, user_id, term, seq, tf_own, tf_ctx, len)
         SELECT $1, u, t, q, o, c, l FROM unnest($2::text[], $3::text[], $4::bigint[], $5::int[], $6::int[], $7::int[])
           AS x (u, t, q, o, c, l)`,
        [this.tenant, put.user, put.term, put.seq, put.own, put.ctx, put.len],
      );
    }
    const terms = [...df.entries()]
      .filter(([, d]) => d.all !== 0 || d.own !== 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (terms.length > 0) {
      await this.tx.query(
        `INSERT INTO ${s}.term_stats AS ts (tenant, term, df, df_own)
         SELECT $1, t, a, o FROM unnest($2::text[], $3::int[], $4::int[]) WITH ORDINALITY AS x (t, a, o, i) ORDER BY i
         ON CONFLICT (tenant, term) DO UPDATE SET df = ts.df + excluded.df, df_own = ts.df_own + excluded.df_own`,
        [this.tenant, terms.map(([t]) => t), terms.map(([, d]) => d.all), terms.map(([, d]) => d.own)],
      );
      // A word nobody holds any more leaves no trace (erased text must not survive as a statistic).
      const fallen = terms.filter(([, d]) => d.all < 0).map(([t]) => t);
      if (fallen.length > 0) {
        await this.tx.query(
          `DELETE FROM ${s}.term_stats WHERE tenant = $1 AND term = ANY ($2::text[]) AND df <= 0`,
          [this.tenant, fallen],
        );
      }
    }
    await this.tx.query(
      `INSERT INTO ${s}.fts_stats AS f (tenant, n_rows, n_tokens, n_live) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant) DO UPDATE
       SET n_rows = f.n_rows + excluded.n_rows, n_tokens = f.n_tokens + excluded.n_tokens, n_live = f.n_live + excluded.n_live`,
      [this.tenant, this.rowsWritten, this.tokensWritten, live],
    );
    this.pending.clear();
    this.fresh.clear();
    this.before.clear();
    this.forgetSessions();
    this.rowsWritten = 0;
    this.tokensWritten = 0;
  }
}

interface OldDoc {
  seq: string;
  user_id: string;
  own: string[];
  ctx: string[];
}

interface Doc {
  user: string;
  own: string[];
  ctx: string[];
  len: number;
}
