import type Database from 'better-sqlite3';
import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { Memory } from '../../core/types.js';
import type {
  AccessRecord,
  Change,
  ChangeSet,
  StoredMention,
  StoredVector,
  VectorRecord,
  WriteOp,
} from '../types.js';
import type { EventTimes } from './event-times.js';
import type { FtsIndex } from './fts-index.js';
import { giveFreeIds } from './import-ids.js';
import { type MemoryRow, memoryParams, rowToMemory, vectorToBlob } from './rows.js';

export const MEMORY_COLUMNS =
  'id, tenant, user_id, agent, session, kind, speaker, role, text, metadata, occurred_at, created_at, updated_at, ' +
  'valid_from, valid_to, superseded_by, importance, strength, access_count, last_accessed_at, embedding_model, status';

/** What a committed write changed, for the caches of the connection that wrote it. */
export interface WriteEffects {
  /** New memories with their vectors, in write order. */
  inserted: { memory: Memory; vector: StoredVector | undefined }[];
  /** Users whose stored rows changed in place or were erased (tenant\u0000user). */
  changedUsers: Set<string>;
  /** Whether rows were erased (their text must be scrubbed from the file). */
  erased: boolean;
  /** How many memories were erased. */
  erasedCount: number;
}

/**
 * Every write to the SQLite tables, each method one transaction: change sets, erasure, import, recalls and
 * vectors. The full-text index and the event times are updated in the same transaction as the rows they index.
 */
/** A memory an erase removes. */
interface ErasedRow {
  seq: number;
  id: string;
  user_id: string;
}

export class Writes {
  constructor(
    private readonly db: Database.Database,
    private readonly fts: FtsIndex,
    private readonly events: EventTimes,
  ) {}

  /**
   * Writes a change set in one transaction. `pause` is asked after every op; when it returns a promise (a turn
   * of the event loop) the transaction stays open across it, so a large change set does not hold the loop for
   * its whole length. The caller makes sure nothing else uses this connection meanwhile (sqlite-store.ts).
   */
  async apply(changes: ChangeSet, pause: () => Promise<void> | undefined): Promise<WriteEffects> {
    const effects: WriteEffects = { inserted: [], changedUsers: new Set(), erased: false, erasedCount: 0 };
    const exists = this.db.prepare('SELECT 1 FROM memories WHERE id = ?');
    await this.inTransaction(async () => {
      for (const op of changes.ops) {
        this.applyOp(changes.tenant, op, effects, exists);
        const turn = pause();
        if (turn) await turn;
      }
    });
    return effects;
  }

  private applyOp(tenant: string, op: WriteOp, effects: WriteEffects, exists: Database.Statement): void {
    if (op.op === 'erase') {
      const n = this.eraseRows(tenant, { id: op.id }, op.actor, effects);
      if (n === 0) throw new EngramError(ErrorCodes.NOT_FOUND, `No memory with id ${op.id}`);
      return;
    }
    if (op.memory.tenant !== tenant) {
      throw new EngramError(
        ErrorCodes.INVALID_INPUT,
        `Memory ${op.memory.id} belongs to tenant ${op.memory.tenant}, not ${tenant}`,
      );
    }
    if (op.op === 'insert') {
      if (exists.get(op.memory.id)) {
        throw new EngramError(ErrorCodes.CONFLICT, `Memory ${op.memory.id} already exists`);
      }
      const seq = this.insertRow(op.memory);
      if (op.vector) {
        this.db
          .prepare('INSERT INTO vectors (seq, model, vector) VALUES (?, ?, ?)')
          .run(seq, op.vector.model, vectorToBlob(op.vector.vector));
      }
      if (op.mentions) this.putMentions(seq, op.mentions);
      this.writeHistory(op.memory, op.change, op.memory.createdAt, null, op.memory);
      effects.inserted.push({ memory: op.memory, vector: op.vector });
    } else {
      this.replaceRow(op.memory, op.change, op.vector, op.mentions);
      effects.changedUsers.add(`${op.memory.tenant}\u0000${op.memory.user}`);
    }
  }

  /** BEGIN IMMEDIATE, `work`, COMMIT; ROLLBACK when it throws. `work` may await (see apply). */
  private async inTransaction(work: () => Promise<void>): Promise<void> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      await work();
      this.db.exec('COMMIT');
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /**
   * One transaction, paused as in `apply` between memories: erasing a user of tens of thousands of memories
   * must not hold the event loop for the whole of it.
   */
  async erase(
    tenant: string,
    target: { id?: string; user?: string },
    actor: string,
    pause: () => Promise<void> | undefined,
  ): Promise<WriteEffects> {
    if (!target.id && target.user === undefined) {
      throw new EngramError(ErrorCodes.INVALID_INPUT, 'erase needs an id or a user');
    }
    const effects: WriteEffects = { inserted: [], changedUsers: new Set(), erased: false, erasedCount: 0 };
    let n = 0;
    await this.inTransaction(async () => {
      const run = this.eraseRun(tenant, target, actor, effects);
      for (const row of run.rows) {
        run.eraseOne(row);
        const turn = pause();
        if (turn) await turn;
      }
      n = run.finish();
    });
    if (target.id && n === 0) throw new EngramError(ErrorCodes.NOT_FOUND, `No memory with id ${target.id}`);
    if (target.user !== undefined) effects.changedUsers.add(`${tenant}\u0000${target.user}`);
    return effects;
  }

  /** One transaction, paused as in `apply`. */
  async importMemories(
    memories: Memory[],
    actor: string,
    mentions: StoredMention[][] | undefined,
    pause: () => Promise<void> | undefined,
  ): Promise<void> {
    await this.inTransaction(async () => {
      giveFreeIds(this.db, memories);
      for (const [i, m] of memories.entries()) {
        const seq = this.insertRow(m);
        const found = mentions?.[i];
        if (found) this.putMentions(seq, found);
        this.writeHistory(m, { action: 'import', actor }, new Date().toISOString(), null, m);
        const turn = pause();
        if (turn) await turn;
      }
    });
  }

  recordAccess(tenant: string, records: AccessRecord[], at: string): void {
    if (records.length === 0) return;
    const stmt = this.db.prepare(
      `UPDATE memories SET access_count = access_count + 1, last_accessed_at = ?, strength = ?
       WHERE tenant = ? AND id = ?`,
    );
    this.db
      .transaction(() => {
        for (const r of records) stmt.run(at, r.strength, tenant, r.id);
      })
      .immediate();
  }

  putVectors(tenant: string, model: string, records: VectorRecord[]): void {
    const seqOf = this.db.prepare('SELECT seq FROM memories WHERE tenant = ? AND id = ?');
    const setModel = this.db.prepare('UPDATE memories SET embedding_model = ? WHERE seq = ?');
    this.db
      .transaction(() => {
        for (const r of records) {
          const row = seqOf.get(tenant, r.id) as { seq: number } | undefined;
          if (!row) continue;
          // One vector per memory: a memory records exactly one embedding model.
          this.putVector(row.seq, { model, vector: r.vector });
          setModel.run(model, row.seq);
        }
      })
      .immediate();
  }

  private putVector(seq: number, v: StoredVector): void {
    this.db.prepare('DELETE FROM vectors WHERE seq = ?').run(seq);
    this.db
      .prepare('INSERT INTO vectors (seq, model, vector) VALUES (?, ?, ?)')
      .run(seq, v.model, vectorToBlob(v.vector));
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
    this.events.put(seq, m);
    return seq;
  }

  /** Replaces the mentions of a memory (its rows cascade away with the memory itself). */
  private putMentions(seq: number, mentions: readonly StoredMention[]): void {
    this.db.prepare('DELETE FROM mentions WHERE seq = ?').run(seq);
    const put = this.db.prepare(
      'INSERT OR REPLACE INTO mentions (seq, key, name, type, role, alias) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const m of mentions) put.run(seq, m.key, m.name, m.type, m.role, m.alias);
  }

  private replaceRow(
    next: Memory,
    change: Change,
    vector: StoredVector | null | undefined,
    mentions: StoredMention[] | undefined,
  ): void {
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
    // Text or said time may have changed; a deleted memory keeps no event times.
    this.events.put(row.seq, next);
    // A deleted memory says nothing about anyone any more; other statuses keep their mentions.
    if (next.status === 'deleted') this.putMentions(row.seq, []);
    else if (mentions) this.putMentions(row.seq, mentions);
    if (vector === null) this.db.prepare('DELETE FROM vectors WHERE seq = ?').run(row.seq);
    else if (vector) this.putVector(row.seq, vector);
    this.writeHistory(next, change, next.updatedAt, before, next);
  }

  /** Erases inside the caller's transaction; returns how many memories were erased. */
  private eraseRows(
    tenant: string,
    target: { id?: string; user?: string },
    actor: string,
    effects: WriteEffects,
  ): number {
    const run = this.eraseRun(tenant, target, actor, effects);
    for (const row of run.rows) run.eraseOne(row);
    return run.finish();
  }

  /** The memories an erase removes, how to remove one, and what follows the last (inside the transaction). */
  private eraseRun(
    tenant: string,
    target: { id?: string; user?: string },
    actor: string,
    effects: WriteEffects,
  ): { rows: ErasedRow[]; eraseOne(r: ErasedRow): void; finish(): number } {
    const rows = (
      target.id
        ? this.db
            .prepare('SELECT seq, id, user_id FROM memories WHERE tenant = ? AND id = ?')
            .all(tenant, target.id)
        : this.db
            .prepare('SELECT seq, id, user_id FROM memories WHERE tenant = ? AND user_id = ?')
            .all(tenant, target.user)
    ) as ErasedRow[];
    const at = new Date().toISOString();
    const delVec = this.db.prepare('DELETE FROM vectors WHERE seq = ?');
    const delMem = this.db.prepare('DELETE FROM memories WHERE seq = ?');
    const delHist = this.db.prepare('DELETE FROM history WHERE tenant = ? AND memory_id = ?');
    const around = new Set<number>();
    const eraseOne = (r: ErasedRow) => {
      for (const n of this.fts.neighboursOf(r.seq)) around.add(n);
      this.fts.remove(r.seq);
      delVec.run(r.seq);
      delMem.run(r.seq);
      delHist.run(tenant, r.id);
      // A tombstone without any text, so that the erasure itself stays auditable.
      this.writeHistory({ id: r.id, tenant, user: r.user_id }, { action: 'erase', actor }, at, null, null);
      effects.changedUsers.add(`${tenant}\u0000${r.user_id}`);
    };
    const finish = () => {
      // Neighbouring turns kept the erased text in their context column.
      for (const r of rows) around.delete(r.seq);
      this.fts.refresh(around);
      if (target.user !== undefined) {
        // History of memories already gone (e.g. superseded then erased) that still names the user.
        this.db
          .prepare("DELETE FROM history WHERE tenant = ? AND user_id = ? AND action <> 'erase'")
          .run(tenant, target.user);
      }
      if (rows.length > 0 || target.user !== undefined) effects.erased = true;
      effects.erasedCount += rows.length;
      return rows.length;
    };
    return { rows, eraseOne, finish };
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
}
