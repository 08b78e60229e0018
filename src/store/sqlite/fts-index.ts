import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { IndexedMemory, TextIndexer } from '../types.js';

interface IndexRow {
  seq: number;
  id: string;
  tenant: string;
  user_id: string;
  session: string | null;
  kind: string;
  speaker: string | null;
  text: string;
  status: string;
}

/**
 * The full-text token naming one user's scope: a hash, so it is one unicode61 token and carries no name.
 * Queries add `AND scope : token`, and FTS5 intersects the posting lists.
 */
export function scopeToken(tenant: string, user: string): string {
  return `s${createHash('sha256').update(`${tenant}\u0000${user}`).digest('hex').slice(0, 24)}`;
}

/**
 * Keeps `memories_fts` in step with `memories`. Each row has two columns, `terms` and `context`, whose tokens
 * the TextIndexer (retrieval's policy) computes; this class only finds each turn's neighbours as the Store
 * contract defines them and re-indexes the rows whose neighbours changed. Callers run these methods inside
 * their write transaction. A neighbour that was deleted or superseded drops out of the context, so an
 * outdated statement does not keep lifting the turns around it.
 */
export class FtsIndex {
  private readonly byId: Database.Statement;
  private readonly prev: Database.Statement;
  private readonly next: Database.Statement;
  private readonly del: Database.Statement;
  private readonly ins: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly indexer: TextIndexer,
  ) {
    this.byId = db.prepare(
      'SELECT seq, id, tenant, user_id, session, kind, speaker, text, status FROM memories WHERE seq = ?',
    );
    const neighbour = (cmp: string, order: string) =>
      db.prepare(
        `SELECT seq, id, tenant, user_id, session, kind, speaker, text, status FROM memories
         WHERE tenant = ? AND user_id = ? AND session = ? AND +kind = 'turn' AND status <> 'deleted'
           AND valid_to IS NULL AND seq ${cmp} ?
         ORDER BY seq ${order} LIMIT 1`,
      );
    this.prev = neighbour('<', 'DESC');
    this.next = neighbour('>', 'ASC');
    this.del = db.prepare('DELETE FROM memories_fts WHERE rowid = ?');
    this.ins = db.prepare('INSERT INTO memories_fts (rowid, terms, context, scope) VALUES (?, ?, ?, ?)');
  }

  /** The turns before and after `r` in its session; with `upTo`, only those with seq <= upTo (see rebuildAll). */
  private neighbours(r: IndexRow, upTo = Number.POSITIVE_INFINITY): IndexRow[] {
    if (r.kind !== 'turn' || r.session === null) return [];
    const args = [r.tenant, r.user_id, r.session, r.seq];
    const next = this.next.get(...args) as IndexRow | undefined;
    return [
      this.prev.get(...args) as IndexRow | undefined,
      next && next.seq <= upTo ? next : undefined,
    ].filter((n): n is IndexRow => n !== undefined);
  }

  private write(r: IndexRow, upTo?: number): void {
    this.del.run(r.seq);
    const memory = indexed(r);
    this.ins.run(
      r.seq,
      this.indexer.own(memory).join(' '),
      this.indexer.context(memory, this.neighbours(r, upTo).map(indexed)).join(' '),
      scopeToken(r.tenant, r.user_id),
    );
  }

  /** Indexes a new or changed row and refreshes the neighbours whose context names it. */
  upsert(seq: number, upTo?: number): void {
    const r = this.byId.get(seq) as IndexRow | undefined;
    if (!r) return;
    this.write(r, upTo);
    for (const n of this.neighbours(r, upTo)) this.write(n, upTo);
  }

  /** Call before the row is deleted; returns the neighbours to refresh once it is gone. */
  neighboursOf(seq: number): number[] {
    const r = this.byId.get(seq) as IndexRow | undefined;
    return r ? this.neighbours(r).map((n) => n.seq) : [];
  }

  remove(seq: number): void {
    this.del.run(seq);
  }

  /** Re-indexes rows by seq (those still present). */
  refresh(seqs: Iterable<number>): void {
    for (const seq of seqs) {
      const r = this.byId.get(seq) as IndexRow | undefined;
      if (r) this.write(r);
    }
  }

  /**
   * Re-indexes every row from scratch, as the rows were first written. FTS5 keeps BM25's row and token counts
   * in one record that a delete from a contentless_delete table never lowers, and each appended turn
   * re-indexes the one before it (its context gains the reply): a store written turn by turn records about
   * twice its rows. Emptying the index with DELETE would keep the old counts and add the table once more at
   * every rebuild (each costing ~0.008 sessionHit@1 on LoCoMo). So 'delete-all' resets them, and the rows are
   * replayed in seq order, each seeing only the rows before it, which reproduces the counts of the store as it
   * was written (docs/retrieval.md, "BM25 statistics").
   */
  rebuildAll(): void {
    this.db.prepare("INSERT INTO memories_fts (memories_fts) VALUES ('delete-all')").run();
    const rows = this.db.prepare('SELECT seq FROM memories ORDER BY seq').all() as { seq: number }[];
    for (const { seq } of rows) this.upsert(seq, seq);
  }
}

function indexed(r: IndexRow): IndexedMemory {
  return {
    id: r.id,
    kind: r.kind as IndexedMemory['kind'],
    speaker: r.speaker,
    text: r.text,
    status: r.status as IndexedMemory['status'],
    session: r.session,
  };
}
