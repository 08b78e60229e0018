import { SCAN_BELOW_KEY } from '../mention-scan.js';
import { type Database, openPool } from '../postgres/db.js';
import {
  bytesToVector,
  MEMORY_COLUMNS,
  MEMORY_SELECT,
  type MemoryRow,
  memoryValues,
  rowToMemory,
  vectorLiteral,
} from '../postgres/rows.js';
import { parsePostgresUrl } from '../postgres/url.js';
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

/** A PostgreSQL schema as a migration source or target (opened by the store first, so its schema is current). */
export class PostgresRaw implements RawSource, RawTarget {
  private constructor(
    private readonly db: Database,
    private readonly s: string,
  ) {}

  static async open(url: string): Promise<PostgresRaw> {
    const where = parsePostgresUrl(url);
    return new PostgresRaw(
      await openPool({ connectionString: where.connectionString, max: 2 }, where.display),
      where.schema,
    );
  }

  async counts(): Promise<Counts> {
    const [r] = await this.db.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM ${this.s}.memories) AS memories, (SELECT count(*) FROM ${this.s}.vectors) AS vectors,
              (SELECT count(*) FROM ${this.s}.history) AS history, (SELECT count(*) FROM ${this.s}.mentions) AS mentions,
              (SELECT count(*) FROM ${this.s}.event_times) AS "eventTimes",
              (SELECT count(*) FROM ${this.s}.api_keys) AS keys`,
    );
    return {
      memories: Number(r!.memories),
      vectors: Number(r!.vectors),
      history: Number(r!.history),
      mentions: Number(r!.mentions),
      eventTimes: Number(r!.eventTimes),
      keys: Number(r!.keys),
    };
  }

  async memories(offset: number, limit: number) {
    const rows = await this.db.query<MemoryRow>(
      `SELECT ${MEMORY_SELECT} FROM ${this.s}.memories m ORDER BY m.seq LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    return rows.map(rowToMemory);
  }

  async vectors(offset: number, limit: number): Promise<RawVector[]> {
    return this.db.query<RawVector>(
      `SELECT m.id AS "memoryId", m.tenant, v.model, v.vector AS bytes FROM ${this.s}.vectors v
       JOIN ${this.s}.memories m ON m.tenant = v.tenant AND m.seq = v.seq ORDER BY v.seq LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
  }

  async history(offset: number, limit: number): Promise<RawHistory[]> {
    return this.db.query<RawHistory>(
      `SELECT memory_id AS "memoryId", tenant, user_id AS "user", action, actor, at, before, after
       FROM ${this.s}.history ORDER BY seq LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
  }

  async mentions(offset: number, limit: number): Promise<RawMention[]> {
    return this.db.query<RawMention>(
      `SELECT m.id AS "memoryId", m.tenant, n.key, n.name, n.type, n.role, n.alias FROM ${this.s}.mentions n
       JOIN ${this.s}.memories m ON m.tenant = n.tenant AND m.seq = n.seq ORDER BY n.seq, n.key LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
  }

  async eventTimes(offset: number, limit: number): Promise<RawEventTime[]> {
    return this.db.query<RawEventTime>(
      `SELECT m.id AS "memoryId", m.tenant, e.user_id AS "user", e.start_day AS start, e.end_day AS "end", e.granularity
       FROM ${this.s}.event_times e JOIN ${this.s}.memories m ON m.tenant = e.tenant AND m.seq = e.seq
       ORDER BY e.tenant, e.seq, e.start_day, e.end_day LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
  }

  async eventTimesVersion(): Promise<string | null> {
    const [row] = await this.db.query<{ value: string }>(
      `SELECT value FROM ${this.s}.engram_meta WHERE key = 'event_times'`,
    );
    return row?.value ?? null;
  }

  async keys(): Promise<RawKey[]> {
    return this.db.query<RawKey>(`SELECT * FROM ${this.s}.api_keys ORDER BY created_at, id`);
  }

  async transaction(fn: (w: RawWriter) => Promise<void>): Promise<void> {
    const s = this.s;
    await this.db.transaction(async (tx) => {
      const pgvector =
        (
          await tx.query(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'vectors' AND column_name = 'embedding'",
            [s],
          )
        ).length > 0;
      await fn({
        memories: async (rows) => {
          if (rows.length === 0) return;
          await tx.query(
            `INSERT INTO ${s}.memories (${MEMORY_COLUMNS.join(', ')})
             SELECT ${MEMORY_COLUMNS.map((c) => `x.${c}`).join(', ')}
             FROM json_populate_recordset(NULL::${s}.memories, $1::json) WITH ORDINALITY AS x ORDER BY x.ordinality`,
            [
              JSON.stringify(
                rows.map((m) => Object.fromEntries(MEMORY_COLUMNS.map((c, k) => [c, memoryValues(m)[k]]))),
              ),
            ],
          );
        },
        vectors: async (rows) => {
          for (const v of rows) {
            await tx.query(
              `INSERT INTO ${s}.vectors (tenant, seq, model, vector${pgvector ? ', embedding' : ''})
               SELECT tenant, seq, $3, $4${pgvector ? ', $5::vector' : ''} FROM ${s}.memories WHERE tenant = $1 AND id = $2`,
              [
                v.tenant,
                v.memoryId,
                v.model,
                v.bytes,
                ...(pgvector ? [vectorLiteral(bytesToVector(v.bytes))] : []),
              ],
            );
          }
        },
        history: async (rows) => {
          if (rows.length === 0) return;
          await tx.query(
            `INSERT INTO ${s}.history (tenant, memory_id, user_id, action, actor, at, before, after)
             SELECT x.tenant, x."memoryId", x."user", x.action, x.actor, x.at, x.before, x.after
             FROM json_to_recordset($1::json) AS x (tenant text, "memoryId" text, "user" text, action text,
               actor text, at text, before text, after text)`,
            [JSON.stringify(rows)],
          );
        },
        mentions: async (rows) => {
          if (rows.length === 0) return;
          await tx.query(
            `INSERT INTO ${s}.mentions (tenant, seq, key, name, type, role, alias)
             SELECT m.tenant, m.seq, x.key, x.name, x.type, x.role, x.alias
             FROM json_to_recordset($1::json) AS x ("memoryId" text, tenant text, key text, name text, type text,
               role text, alias text)
             JOIN ${s}.memories m ON m.tenant = x.tenant AND m.id = x."memoryId"`,
            [JSON.stringify(rows)],
          );
        },
        eventTimes: async (rows) => {
          if (rows.length === 0) return;
          await tx.query(
            `INSERT INTO ${s}.event_times (tenant, seq, user_id, start_day, end_day, granularity)
             SELECT m.tenant, m.seq, x."user", x.start, x."end", x.granularity
             FROM json_to_recordset($1::json) AS x ("memoryId" text, tenant text, "user" text, start int, "end" int,
               granularity text)
             JOIN ${s}.memories m ON m.tenant = x.tenant AND m.id = x."memoryId"`,
            [JSON.stringify(rows)],
          );
        },
        eventTimesVersion: async (version) => {
          await tx.query(`DELETE FROM ${s}.engram_meta WHERE key = 'event_times'`);
          if (version !== null) {
            await tx.query(`INSERT INTO ${s}.engram_meta (key, value) VALUES ('event_times', $1)`, [version]);
          }
        },
        keys: async (rows) => {
          for (const k of rows) {
            await tx.query(
              `INSERT INTO ${s}.api_keys (id, name, tenant, role, prefix, hash, created_at, last_used_at, revoked_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
              [k.id, k.name, k.tenant, k.role, k.prefix, k.hash, k.created_at, k.last_used_at, k.revoked_at],
            );
          }
        },
      });
      // Per-user row counts for the store's plans; the lexical index is rebuilt by the store on its next open.
      await tx.query(
        `INSERT INTO ${s}.scope_versions (tenant, user_id, version, rows)
         SELECT tenant, user_id, 1, count(*) FROM ${s}.memories GROUP BY tenant, user_id
         ON CONFLICT (tenant, user_id) DO UPDATE SET version = ${s}.scope_versions.version + 1, rows = excluded.rows`,
      );
      await tx.query(`DELETE FROM ${s}.engram_meta WHERE key = 'indexer'`);
      // Memories without mentions in the source may predate them there: the next open scans them all again.
      await tx.query(`DELETE FROM ${s}.engram_meta WHERE key = $1 OR key LIKE 'mentions\\_scanned:%'`, [
        SCAN_BELOW_KEY,
      ]);
    });
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
