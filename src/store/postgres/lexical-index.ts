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
 * backends the same scores. Document frequencies are exact. They are summed here and written once, in
 * sorted order, by `flush` (concurrent writers lock the same rows in the same order: no deadlock).
 */
export class LexicalIndex {
  private readonly df = new Map<string, { all: number; own: number }>();
  private rowsWritten = 0;
  private tokensWritten = 0;
  private liveDelta = 0;

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
    return [before, after && (upTo === undefined || BigInt(after.seq) <= BigInt(upTo)) ? after : undefined].filter(
      (n): n is IndexRow & { side: string } => n !== undefined,
    );
  }

  private count(terms: Iterable<string>, own: Set<string>, sign: 1 | -1): void {
    for (const t of terms) {
      const d = this.df.get(t) ?? { all: 0, own: 0 };
      d.all += sign;
      if (own.has(t)) d.own += sign;
      this.df.set(t, d);
    }
  }

  private async write(r: IndexRow, upTo?: string): Promise<void> {
    const own = fts5Tokens(this.indexer.own(r));
    const ctx = fts5Tokens(this.indexer.context(r, await this.neighbours(r, upTo)));
    const len = own.length + ctx.length + 1; // + 1: the SQLite index's scope column holds one token
    const ownCounts = termCounts(own);
    const ctxCounts = termCounts(ctx);
    const terms = [...new Set([...ownCounts.keys(), ...ctxCounts.keys()])];
    const [old] = await this.tx.query<{ own: string[]; ctx: string[] }>(
      `WITH old AS (SELECT own, ctx FROM ${this.s}.fts_docs WHERE tenant = $1 AND seq = $2),
       doc AS (INSERT INTO ${this.s}.fts_docs (tenant, seq, user_id, own, ctx, len) VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (tenant, seq) DO UPDATE SET own = excluded.own, ctx = excluded.ctx, len = excluded.len),
       gone AS (DELETE FROM ${this.s}.postings WHERE tenant = $1 AND user_id = $3 AND seq = $2
                AND term = ANY (SELECT unnest(own || ctx) FROM old) AND term <> ALL ($7::text[])),
       put AS (INSERT INTO ${this.s}.postings (tenant, user_id, term, seq, tf_own, tf_ctx, len)
               SELECT $1, $3, t, $2, o, c, $6 FROM unnest($7::text[], $8::int[], $9::int[]) AS x (t, o, c)
               ON CONFLICT (tenant, user_id, term, seq) DO UPDATE
               SET tf_own = excluded.tf_own, tf_ctx = excluded.tf_ctx, len = excluded.len)
       SELECT own, ctx FROM old`,
      [
        this.tenant,
        r.seq,
        r.user_id,
        own,
        ctx,
        len,
        terms,
        terms.map((t) => ownCounts.get(t) ?? 0),
        terms.map((t) => ctxCounts.get(t) ?? 0),
      ],
    );
    if (old) this.count(new Set([...old.own, ...old.ctx]), new Set(old.own), -1);
    else this.liveDelta += 1;
    this.count(terms, new Set(ownCounts.keys()), 1);
    this.rowsWritten += 1;
    this.tokensWritten += len;
  }

  /** Indexes a new or changed row and refreshes the neighbours whose context names it. */
  async upsert(seqOrRow: string | IndexRow, upTo?: string): Promise<void> {
    const r = typeof seqOrRow === 'string' ? await this.row(seqOrRow) : seqOrRow;
    if (!r) return;
    await this.write(r, upTo);
    for (const n of await this.neighbours(r, upTo)) await this.write(n, upTo);
  }

  /** Call before the row is deleted; returns the neighbours to refresh once it is gone. */
  async neighboursOf(seq: string): Promise<string[]> {
    const r = await this.row(seq);
    return r ? (await this.neighbours(r)).map((n) => n.seq) : [];
  }

  /** Removes a row's entry (before or after the row itself is deleted). */
  async remove(seq: string): Promise<void> {
    const [old] = await this.tx.query<{ own: string[]; ctx: string[] }>(
      `WITH old AS (DELETE FROM ${this.s}.fts_docs WHERE tenant = $1 AND seq = $2 RETURNING user_id, own, ctx),
       gone AS (DELETE FROM ${this.s}.postings p USING old
                WHERE p.tenant = $1 AND p.user_id = old.user_id AND p.seq = $2 AND p.term = ANY (old.own || old.ctx))
       SELECT own, ctx FROM old`,
      [this.tenant, seq],
    );
    if (!old) return;
    this.count(new Set([...old.own, ...old.ctx]), new Set(old.own), -1);
    this.liveDelta -= 1;
  }

  /** Re-indexes rows by seq (those still present). */
  async refresh(seqs: Iterable<string>): Promise<void> {
    for (const seq of seqs) {
      const r = await this.row(seq);
      if (r) await this.write(r);
    }
  }

  /** Writes the summed statistics: term rows in sorted order, then the tenant's row. */
  async flush(): Promise<void> {
    const terms = [...this.df.entries()].filter(([, d]) => d.all !== 0 || d.own !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (terms.length > 0) {
      await this.tx.query(
        `INSERT INTO ${this.s}.term_stats AS ts (tenant, term, df, df_own)
         SELECT $1, t, a, o FROM unnest($2::text[], $3::int[], $4::int[]) WITH ORDINALITY AS x (t, a, o, i) ORDER BY i
         ON CONFLICT (tenant, term) DO UPDATE SET df = ts.df + excluded.df, df_own = ts.df_own + excluded.df_own`,
        [this.tenant, terms.map(([t]) => t), terms.map(([, d]) => d.all), terms.map(([, d]) => d.own)],
      );
      // A word nobody holds any more leaves no trace (erased text must not survive as a statistic).
      const fallen = terms.filter(([, d]) => d.all < 0).map(([t]) => t);
      if (fallen.length > 0) {
        await this.tx.query(`DELETE FROM ${this.s}.term_stats WHERE tenant = $1 AND term = ANY ($2::text[]) AND df <= 0`, [
          this.tenant,
          fallen,
        ]);
      }
    }
    if (this.rowsWritten > 0 || this.liveDelta !== 0) {
      await this.tx.query(
        `INSERT INTO ${this.s}.fts_stats AS f (tenant, n_rows, n_tokens, n_live) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant) DO UPDATE
         SET n_rows = f.n_rows + excluded.n_rows, n_tokens = f.n_tokens + excluded.n_tokens, n_live = f.n_live + excluded.n_live`,
        [this.tenant, this.rowsWritten, this.tokensWritten, this.liveDelta],
      );
    }
    this.df.clear();
    this.rowsWritten = 0;
    this.tokensWritten = 0;
    this.liveDelta = 0;
  }
}
