import Database from 'better-sqlite3';
import { SCAN_BELOW_KEY } from '../mention-scan.js';
import { type MemoryRow, memoryParams, rowToMemory } from '../sqlite/rows.js';
import type {
  Counts,
  RawEventTime,
  RawHistory,
  RawKey,
  RawMention,
  RawSource,
  RawTarget,
  RawVector,
  RawWriter,
} from './types.js';

const MEMORY_COLUMNS =
  'id, tenant, user_id, agent, session, kind, speaker, role, text, metadata, occurred_at, created_at, updated_at, ' +
  'valid_from, valid_to, superseded_by, importance, strength, access_count, last_accessed_at, embedding_model, status';

const KEYS_TABLE = `CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY, name TEXT, tenant TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('read', 'write', 'admin')), prefix TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL, last_used_at TEXT, revoked_at TEXT)`;

function counts(db: Database.Database): Counts {
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const hasKeys = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'api_keys'").get();
  return {
    memories: n('SELECT count(*) AS n FROM memories'),
    vectors: n('SELECT count(*) AS n FROM vectors'),
    history: n('SELECT count(*) AS n FROM history'),
    mentions: n('SELECT count(*) AS n FROM mentions'),
    eventTimes: n('SELECT count(*) AS n FROM event_times'),
    keys: hasKeys ? n('SELECT count(*) AS n FROM api_keys') : 0,
  };
}

/** A SQLite file as a migration source or target (opened by the store first, so its schema is current). */
export class SqliteRaw implements RawSource, RawTarget {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 10000');
  }

  async counts(): Promise<Counts> {
    return counts(this.db);
  }

  async memories(offset: number, limit: number) {
    const rows = this.db
      .prepare('SELECT * FROM memories ORDER BY seq LIMIT ? OFFSET ?')
      .all(limit, offset) as MemoryRow[];
    return rows.map(rowToMemory);
  }

  async vectors(offset: number, limit: number): Promise<RawVector[]> {
    const rows = this.db
      .prepare(
        `SELECT m.id AS memoryId, m.tenant, v.model, v.vector AS bytes FROM vectors v JOIN memories m ON m.seq = v.seq
         ORDER BY v.seq, v.model LIMIT ? OFFSET ?`,
      )
      .all(limit, offset) as RawVector[];
    return rows;
  }

  async history(offset: number, limit: number): Promise<RawHistory[]> {
    return this.db
      .prepare(
        `SELECT memory_id AS memoryId, tenant, user_id AS user, action, actor, at, before, after FROM history
         ORDER BY seq LIMIT ? OFFSET ?`,
      )
      .all(limit, offset) as RawHistory[];
  }

  async mentions(offset: number, limit: number): Promise<RawMention[]> {
    return this.db
      .prepare(
        `SELECT m.id AS memoryId, m.tenant, n.key, n.name, n.type, n.role, n.alias FROM mentions n
         JOIN memories m ON m.seq = n.seq ORDER BY n.seq, n.key LIMIT ? OFFSET ?`,
      )
      .all(limit, offset) as RawMention[];
  }

  async eventTimes(offset: number, limit: number): Promise<RawEventTime[]> {
    return this.db
      .prepare(
        `SELECT m.id AS memoryId, m.tenant, e.user_id AS user, e.start_day AS start, e.end_day AS end, e.granularity
         FROM event_times e JOIN memories m ON m.seq = e.seq ORDER BY e.seq, e.start_day, e.end_day LIMIT ? OFFSET ?`,
      )
      .all(limit, offset) as RawEventTime[];
  }

  async eventTimesVersion(): Promise<string | null> {
    const row = this.db.prepare("SELECT value FROM engram_meta WHERE key = 'event_times'").get() as
      | { value: string }
      | undefined;
    return row?.value ?? null;
  }

  async keys(): Promise<RawKey[]> {
    this.db.exec(KEYS_TABLE);
    return this.db.prepare('SELECT * FROM api_keys ORDER BY created_at, id').all() as RawKey[];
  }

  async transaction(fn: (w: RawWriter) => Promise<void>): Promise<void> {
    const db = this.db;
    db.exec(KEYS_TABLE);
    const insertMemory = db.prepare(
      `INSERT INTO memories (${MEMORY_COLUMNS}) VALUES (${MEMORY_COLUMNS.split(', ')
        .map((c) => `@${c}`)
        .join(', ')})`,
    );
    const seqOf = db.prepare('SELECT seq FROM memories WHERE id = ?');
    const insertVector = db.prepare('INSERT INTO vectors (seq, model, vector) VALUES (?, ?, ?)');
    const insertHistory = db.prepare(
      'INSERT INTO history (memory_id, tenant, user_id, action, actor, at, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertMention = db.prepare(
      `INSERT INTO mentions (seq, key, name, type, role, alias)
       SELECT seq, ?, ?, ?, ?, ? FROM memories WHERE tenant = ? AND id = ?`,
    );
    const insertEventTime = db.prepare(
      `INSERT INTO event_times (seq, tenant, user_id, start_day, end_day, granularity)
       SELECT seq, tenant, ?, ?, ?, ? FROM memories WHERE tenant = ? AND id = ?`,
    );
    const insertKey = db.prepare(
      `INSERT INTO api_keys (id, name, tenant, role, prefix, hash, created_at, last_used_at, revoked_at)
       VALUES (@id, @name, @tenant, @role, @prefix, @hash, @created_at, @last_used_at, @revoked_at)`,
    );
    // better-sqlite3 transactions are synchronous: the async callbacks below only ever run synchronous work,
    // so BEGIN/COMMIT bracket them by hand.
    db.exec('BEGIN IMMEDIATE');
    try {
      await fn({
        memories: async (rows) => {
          for (const m of rows) insertMemory.run(memoryParams(m));
        },
        vectors: async (rows) => {
          for (const v of rows) {
            const r = seqOf.get(v.memoryId) as { seq: number } | undefined;
            if (r) insertVector.run(r.seq, v.model, v.bytes);
          }
        },
        history: async (rows) => {
          for (const h of rows)
            insertHistory.run(h.memoryId, h.tenant, h.user, h.action, h.actor, h.at, h.before, h.after);
        },
        mentions: async (rows) => {
          for (const n of rows)
            insertMention.run(n.key, n.name, n.type, n.role, n.alias, n.tenant, n.memoryId);
        },
        eventTimes: async (rows) => {
          for (const e of rows)
            insertEventTime.run(e.user, e.start, e.end, e.granularity, e.tenant, e.memoryId);
        },
        eventTimesVersion: async (version) => {
          db.prepare("DELETE FROM engram_meta WHERE key = 'event_times'").run();
          if (version !== null)
            db.prepare("INSERT INTO engram_meta (key, value) VALUES ('event_times', ?)").run(version);
        },
        keys: async (rows) => {
          for (const k of rows) insertKey.run(k);
        },
      });
      // The store rebuilds the full-text index on its next open.
      db.prepare("DELETE FROM engram_meta WHERE key = 'analyzer'").run();
      // Memories without mentions in the source may predate them there: the next open scans them all again.
      db.prepare("DELETE FROM engram_meta WHERE key = ? OR key LIKE 'mentions\\_scanned:%' ESCAPE '\\'").run(
        SCAN_BELOW_KEY,
      );
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
