import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { Memory } from '../../core/types.js';
import type {
  Change,
  EventTimeIndexer,
  StoredMention,
  StoredVector,
  TextIndexer,
  WriteOp,
} from '../types.js';
import type { Sql } from './db.js';
import { putEventTimes } from './event-times.js';
import type { IndexRow } from './lexical-index.js';
import { LexicalIndex } from './lexical-index.js';
import {
  MEMORY_COLUMNS,
  type MemoryRow,
  memoryValues,
  rowToMemory,
  vectorLiteral,
  vectorToBytes,
} from './rows.js';
import type { PgvectorSearch } from './vector-search.js';

/** What a committed write changed, per user, for the caches of the process that wrote it. */
export interface WriteEffects {
  /** tenant\u0000user → the user's version after the write. */
  versions: Map<string, string>;
  inserted: { memory: Memory; vector: StoredVector | undefined }[];
  /** Whether anything other than inserts happened (cached copies must then be dropped). */
  changedInPlace: boolean;
  erasedCount: number;
}

interface HistoryInsert {
  id: string;
  user: string;
  action: string;
  actor: string;
  at: string;
  before: string | null;
  after: string | null;
}

/**
 * One write transaction of the PostgreSQL store for one tenant. `begin` locks the users it will touch (their
 * scope_versions rows, in sorted order, bumping their versions): writers of one user queue there, so a turn's
 * neighbours are always read after the previous writer committed. The lexical statistics are written last
 * (`finish`), also in sorted order.
 */
export class WriteTx {
  readonly index: LexicalIndex;
  readonly effects: WriteEffects = {
    versions: new Map(),
    inserted: [],
    changedInPlace: false,
    erasedCount: 0,
  };
  private readonly rowDelta = new Map<string, number>();
  /** Written by `flushPending` in one statement each (history in order; one vector per memory). */
  private readonly pendingHistory: HistoryInsert[] = [];
  private readonly pendingVectors = new Map<string, StoredVector>();

  constructor(
    private readonly tx: Sql,
    private readonly s: string,
    private readonly tenant: string,
    indexer: TextIndexer,
    private readonly pgvector: PgvectorSearch | null,
    /** Event times are written with their memories when given (EventTimeIndexer). */
    private readonly events?: EventTimeIndexer,
  ) {
    this.index = new LexicalIndex(tx, s, tenant, indexer);
  }

  /**
   * Names the users the transaction writes to. `early` locks them now: needed when a turn's neighbours will be
   * read (inserted turns, replacements, erasure). Otherwise (notes and facts only) they are locked at `finish`,
   * so that concurrent writers of one user queue only for the end of each other's transactions.
   */
  async begin(users: Iterable<string>, options: { early?: boolean } = {}): Promise<void> {
    this.users = [...new Set(users)].sort();
    if (options.early ?? true) await this.bump(false);
  }

  private users: string[] = [];
  private locked = false;

  /** Bumps the users' versions (locking their rows, in sorted order); with `withRows`, adds their row deltas. */
  private async bump(withRows: boolean): Promise<void> {
    this.locked = true;
    if (this.users.length === 0) return;
    const rows = await this.tx.query<{ user_id: string; version: string }>(
      `INSERT INTO ${this.s}.scope_versions AS sv (tenant, user_id, version, rows)
       SELECT $1, u, 1, d FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS x (u, d, i) ORDER BY i
       ON CONFLICT (tenant, user_id) DO UPDATE SET version = sv.version + 1, rows = sv.rows + excluded.rows
       RETURNING user_id, version`,
      [this.tenant, this.users, this.users.map((u) => (withRows ? (this.rowDelta.get(u) ?? 0) : 0))],
    );
    if (withRows) this.rowDelta.clear();
    for (const r of rows) this.effects.versions.set(`${this.tenant}\u0000${r.user_id}`, String(r.version));
  }

  /** Users whose memories the ops touch (an erase by id is looked up first). */
  static async usersOf(tx: Sql, s: string, tenant: string, ops: WriteOp[]): Promise<string[]> {
    const users = new Set<string>();
    const ids: string[] = [];
    for (const op of ops) {
      if (op.op === 'erase') ids.push(op.id);
      else users.add(op.memory.user);
    }
    if (ids.length > 0) {
      const rows = await tx.query<{ user_id: string }>(
        `SELECT DISTINCT user_id FROM ${s}.memories WHERE tenant = $1 AND id = ANY ($2::text[])`,
        [tenant, ids],
      );
      for (const r of rows) users.add(r.user_id);
    }
    return [...users];
  }

  private async flushPending(): Promise<void> {
    if (this.pendingHistory.length > 0) {
      const h = this.pendingHistory.splice(0);
      await this.tx.query(
        `INSERT INTO ${this.s}.history (tenant, memory_id, user_id, action, actor, at, before, after)
         SELECT $1, id, u, a, w, t, b, f FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
           WITH ORDINALITY AS x (id, u, a, w, t, b, f, i) ORDER BY i`,
        [
          this.tenant,
          h.map((e) => e.id),
          h.map((e) => e.user),
          h.map((e) => e.action),
          h.map((e) => e.actor),
          h.map((e) => e.at),
          h.map((e) => e.before),
          h.map((e) => e.after),
        ],
      );
    }
    if (this.pendingVectors.size > 0) {
      const v = [...this.pendingVectors.entries()];
      this.pendingVectors.clear();
      if (this.pgvector) {
        for (const [, x] of v) await this.pgvector.ensureIndex(this.tx, x.model, x.vector.length);
        await this.tx.query(
          `INSERT INTO ${this.s}.vectors (tenant, seq, model, vector, embedding)
           SELECT $1, q, m, b, e::vector FROM unnest($2::bigint[], $3::text[], $4::bytea[], $5::text[]) AS x (q, m, b, e)
           ON CONFLICT (tenant, seq) DO UPDATE SET model = excluded.model, vector = excluded.vector, embedding = excluded.embedding`,
          [
            this.tenant,
            v.map(([q]) => q),
            v.map(([, x]) => x.model),
            v.map(([, x]) => vectorToBytes(x.vector)),
            v.map(([, x]) => vectorLiteral(x.vector)),
          ],
        );
      } else {
        await this.tx.query(
          `INSERT INTO ${this.s}.vectors (tenant, seq, model, vector)
           SELECT $1, q, m, b FROM unnest($2::bigint[], $3::text[], $4::bytea[]) AS x (q, m, b)
           ON CONFLICT (tenant, seq) DO UPDATE SET model = excluded.model, vector = excluded.vector`,
          [
            this.tenant,
            v.map(([q]) => q),
            v.map(([, x]) => x.model),
            v.map(([, x]) => vectorToBytes(x.vector)),
          ],
        );
      }
    }
  }

  async finish(): Promise<void> {
    await this.flushPending();
    // Lock order, early or late: users, then term statistics (sorted), then the tenant's statistics.
    if (!this.locked) await this.bump(true);
    await this.index.flush();
    const users = [...this.rowDelta.entries()]
      .filter(([, d]) => d !== 0)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    if (users.length > 0) {
      await this.tx.query(
        `UPDATE ${this.s}.scope_versions sv SET rows = sv.rows + x.d
         FROM unnest($2::text[], $3::bigint[]) AS x (u, d) WHERE sv.tenant = $1 AND sv.user_id = x.u`,
        [this.tenant, users.map(([u]) => u), users.map(([, d]) => d)],
      );
    }
  }

  async insert(
    m: Memory,
    vector: StoredVector | undefined,
    change: Change,
    historyAt = m.createdAt,
  ): Promise<void> {
    await this.insertMany([{ memory: m, vector, change, historyAt }]);
  }

  /** New memories in one statement (seqs in the given order); CONFLICT when any id exists. */
  async insertMany(
    items: {
      memory: Memory;
      vector: StoredVector | undefined;
      change: Change;
      historyAt?: string;
      mentions?: StoredMention[] | undefined;
    }[],
  ): Promise<void> {
    if (items.length === 0) return;
    for (const { memory: m } of items) {
      if (m.tenant !== this.tenant) {
        throw new EngramError(
          ErrorCodes.INVALID_INPUT,
          `Memory ${m.id} belongs to tenant ${m.tenant}, not ${this.tenant}`,
        );
      }
    }
    const values = items.map((i) => memoryValues(i.memory));
    const rows = await this.tx.query<{ id: string; seq: string }>(
      `INSERT INTO ${this.s}.memories (${MEMORY_COLUMNS.join(', ')})
       SELECT ${MEMORY_COLUMNS.map((c) => `x.${c}`).join(', ')}
       FROM json_populate_recordset(NULL::${this.s}.memories, $1::json) WITH ORDINALITY AS x
       ORDER BY x.ordinality
       ON CONFLICT (tenant, id) DO NOTHING RETURNING id, seq`,
      [JSON.stringify(values.map((v) => Object.fromEntries(MEMORY_COLUMNS.map((c, k) => [c, v[k]]))))],
    );
    const seqOf = new Map(rows.map((r) => [r.id, String(r.seq)]));
    const taken = items.find((i) => !seqOf.has(i.memory.id));
    if (taken || seqOf.size !== items.length) {
      throw new EngramError(ErrorCodes.CONFLICT, `Memory ${(taken ?? items[0]!).memory.id} already exists`);
    }
    await this.putMentions(
      items.flatMap((i) => (i.mentions ?? []).map((n) => ({ seq: seqOf.get(i.memory.id)!, ...n }))),
    );
    await putEventTimes(
      this.tx,
      this.s,
      this.tenant,
      this.events,
      items.map((i) => ({ seq: seqOf.get(i.memory.id)!, memory: i.memory })),
    );
    for (const { memory: m, vector, change, historyAt } of items) {
      const seq = seqOf.get(m.id)!;
      await this.index.insert({ ...m, seq, user_id: m.user } as IndexRow);
      if (vector) await this.putVector(seq, vector);
      await this.history(m, change, historyAt ?? m.createdAt, null, m);
      this.rowDelta.set(m.user, (this.rowDelta.get(m.user) ?? 0) + 1);
      this.effects.inserted.push({ memory: m, vector });
    }
  }

  /** Mention rows in one statement (a memory's rows are replaced by the caller first). */
  private async putMentions(rows: Array<StoredMention & { seq: string }>): Promise<void> {
    if (rows.length === 0) return;
    await this.tx.query(
      `INSERT INTO ${this.s}.mentions (tenant, seq, key, name, type, role, alias)
       SELECT $1, q, k, n, t, r, a
       FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS x (q, k, n, t, r, a)
       ON CONFLICT (tenant, seq, key) DO NOTHING`,
      [
        this.tenant,
        rows.map((r) => r.seq),
        rows.map((r) => r.key),
        rows.map((r) => r.name),
        rows.map((r) => r.type),
        rows.map((r) => r.role),
        rows.map((r) => r.alias),
      ],
    );
  }

  async replace(
    next: Memory,
    vector: StoredVector | null | undefined,
    change: Change,
    mentions?: StoredMention[],
  ): Promise<void> {
    const [row] = await this.tx.query<MemoryRow & { seq: string }>(
      `SELECT seq, ${MEMORY_COLUMNS.join(', ')} FROM ${this.s}.memories WHERE tenant = $1 AND id = $2 FOR UPDATE`,
      [this.tenant, next.id],
    );
    if (!row || next.tenant !== this.tenant)
      throw new EngramError(ErrorCodes.NOT_FOUND, `No memory with id ${next.id}`);
    const before = rowToMemory(row);
    const seq = String(row.seq);
    this.index.forgetSessions();
    const values = memoryValues(next);
    const sets = MEMORY_COLUMNS.map((c, i) => [c, i] as const).filter(([c]) => c !== 'id' && c !== 'tenant');
    await this.tx.query(
      `UPDATE ${this.s}.memories SET ${sets.map(([c], k) => `${c} = $${k + 3}`).join(', ')} WHERE tenant = $1 AND seq = $2`,
      [this.tenant, seq, ...sets.map(([, i]) => values[i])],
    );
    if (
      before.text !== next.text ||
      before.status !== next.status ||
      before.speaker !== next.speaker ||
      before.validTo !== next.validTo
    ) {
      // Neighbours carry this turn in their context: refresh them as well (a deleted turn drops out).
      const around = await this.index.neighboursOf(seq);
      await this.index.upsert(seq);
      await this.index.refresh(around);
    }
    // Text or said time may have changed; a deleted memory keeps no event times.
    await putEventTimes(this.tx, this.s, this.tenant, this.events, [{ seq, memory: next }]);
    // A deleted memory says nothing about anyone any more; other statuses keep their mentions.
    if (next.status === 'deleted' || mentions) {
      await this.tx.query(`DELETE FROM ${this.s}.mentions WHERE tenant = $1 AND seq = $2`, [
        this.tenant,
        seq,
      ]);
      if (next.status !== 'deleted' && mentions) await this.putMentions(mentions.map((n) => ({ seq, ...n })));
    }
    if (vector === null) {
      this.pendingVectors.delete(seq);
      await this.tx.query(`DELETE FROM ${this.s}.vectors WHERE tenant = $1 AND seq = $2`, [this.tenant, seq]);
    } else if (vector) await this.putVector(seq, vector);
    await this.history(next, change, next.updatedAt, before, next);
    this.effects.changedInPlace = true;
  }

  /** Erases by id or user inside this transaction; returns how many memories were erased. */
  async erase(target: { id?: string; user?: string }, actor: string): Promise<number> {
    const rows = await this.tx.query<{ seq: string; id: string; user_id: string }>(
      target.id
        ? `SELECT seq, id, user_id FROM ${this.s}.memories WHERE tenant = $1 AND id = $2 ORDER BY seq`
        : `SELECT seq, id, user_id FROM ${this.s}.memories WHERE tenant = $1 AND user_id = $2 ORDER BY seq`,
      [this.tenant, target.id ?? target.user],
    );
    const at = new Date().toISOString();
    this.index.forgetSessions();
    // History written so far in this transaction must exist before the erased memories' history is removed.
    await this.flushPending();
    for (const r of rows) this.pendingVectors.delete(String(r.seq));
    const around = new Set<string>();
    for (const r of rows) for (const n of await this.index.neighboursOf(r.seq)) around.add(n);
    await this.index.remove(rows.map((r) => r.seq));
    if (rows.length > 0) {
      const seqs = rows.map((r) => r.seq);
      // Vectors go with their rows (ON DELETE CASCADE).
      await this.tx.query(`DELETE FROM ${this.s}.memories WHERE tenant = $1 AND seq = ANY ($2::bigint[])`, [
        this.tenant,
        seqs,
      ]);
      await this.tx.query(
        `DELETE FROM ${this.s}.history WHERE tenant = $1 AND memory_id = ANY ($2::text[])`,
        [this.tenant, rows.map((r) => r.id)],
      );
      // Tombstones without any text, so that the erasure itself stays auditable.
      await this.tx.query(
        `INSERT INTO ${this.s}.history (tenant, memory_id, user_id, action, actor, at, before, after)
         SELECT $1, id, u, 'erase', $4, $5, NULL, NULL FROM unnest($2::text[], $3::text[]) AS x (id, u)`,
        [this.tenant, rows.map((r) => r.id), rows.map((r) => r.user_id), actor, at],
      );
    }
    for (const r of rows) {
      around.delete(r.seq);
      this.rowDelta.set(r.user_id, (this.rowDelta.get(r.user_id) ?? 0) - 1);
    }
    // Neighbouring turns kept the erased text in their context.
    await this.index.refresh(around);
    if (target.user !== undefined) {
      // History of memories already gone (e.g. superseded then erased) that still names the user.
      await this.tx.query(
        `DELETE FROM ${this.s}.history WHERE tenant = $1 AND user_id = $2 AND action <> 'erase'`,
        [this.tenant, target.user],
      );
    }
    this.effects.changedInPlace = true;
    this.effects.erasedCount += rows.length;
    return rows.length;
  }

  /** One vector per memory: a memory records exactly one embedding model. */
  async putVector(seq: string, v: StoredVector): Promise<void> {
    this.pendingVectors.set(String(seq), v);
  }

  async history(
    m: Pick<Memory, 'id' | 'user'>,
    change: Change,
    at: string,
    before: Memory | null,
    after: Memory | null,
  ): Promise<void> {
    this.pendingHistory.push({
      id: m.id,
      user: m.user,
      action: change.action,
      actor: change.actor,
      at,
      before: before ? JSON.stringify(before) : null,
      after: after ? JSON.stringify(after) : null,
    });
  }
}
