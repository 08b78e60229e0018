import type { Memory } from '../../core/types.js';
import { SCAN_BELOW_KEY, scannedKey } from '../mention-scan.js';
import type { ScannedMentions } from '../types.js';
import type { Database, Sql } from './db.js';
import { MEMORY_SELECT, type MemoryRow, rowToMemory } from './rows.js';

/** Records where the scan for mentions stops, once per schema (see ../mention-scan.ts); in the opening transaction. */
export async function markMentionScan(tx: Sql, s: string): Promise<void> {
  await tx.query(
    `INSERT INTO ${s}.engram_meta (key, value) SELECT $1, (coalesce(max(seq), 0) + 1)::text FROM ${s}.memories
     ON CONFLICT (key) DO NOTHING`,
    [SCAN_BELOW_KEY],
  );
}

/** The PostgreSQL side of Store.unscannedMentions / saveScannedMentions. */
export class MentionScan {
  constructor(
    private readonly db: Database,
    private readonly s: string,
  ) {}

  async unscanned(tenant: string, limit: number): Promise<Memory[]> {
    const s = this.s;
    const rows = await this.db.query<MemoryRow>(
      `SELECT ${MEMORY_SELECT} FROM ${s}.memories m
       WHERE m.tenant = $1
         AND m.seq > coalesce((SELECT value::bigint FROM ${s}.engram_meta WHERE key = $2), 0)
         AND m.seq < coalesce((SELECT value::bigint FROM ${s}.engram_meta WHERE key = $3), 0)
         AND m.status <> 'deleted'
         AND NOT EXISTS (SELECT 1 FROM ${s}.mentions n WHERE n.tenant = m.tenant AND n.seq = m.seq)
       ORDER BY m.seq LIMIT $4`,
      [tenant, scannedKey(tenant), SCAN_BELOW_KEY, limit],
    );
    return rows.map(rowToMemory);
  }

  async save(tenant: string, scanned: ScannedMentions[]): Promise<void> {
    if (scanned.length === 0) return;
    const s = this.s;
    const rows = scanned.flatMap(({ memory, mentions }) =>
      mentions.map((n) => ({ id: memory.id, at: memory.updatedAt, ...n })),
    );
    await this.db.transaction(async (tx) => {
      // Only memories not written since they were read (a write stores its own mentions), still holding none.
      await tx.query(
        `INSERT INTO ${s}.mentions (tenant, seq, key, name, type, role, alias)
         SELECT m.tenant, m.seq, x.k, x.n, x.t, x.r, x.a
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
           AS x (id, at, k, n, t, r, a)
         JOIN ${s}.memories m ON m.tenant = $1 AND m.id = x.id AND m.updated_at = x.at AND m.status <> 'deleted'
         WHERE NOT EXISTS (SELECT 1 FROM ${s}.mentions o WHERE o.tenant = m.tenant AND o.seq = m.seq)
         ON CONFLICT (tenant, seq, key) DO NOTHING`,
        [
          tenant,
          rows.map((r) => r.id),
          rows.map((r) => r.at),
          rows.map((r) => r.key),
          rows.map((r) => r.name),
          rows.map((r) => r.type),
          rows.map((r) => r.role),
          rows.map((r) => r.alias),
        ],
      );
      await tx.query(
        `INSERT INTO ${s}.engram_meta AS e (key, value)
         SELECT $2, max(seq)::text FROM ${s}.memories WHERE tenant = $1 AND id = ANY ($3::text[]) HAVING count(*) > 0
         ON CONFLICT (key) DO UPDATE SET value = greatest(e.value::bigint, excluded.value::bigint)::text`,
        [tenant, scannedKey(tenant), scanned.map((x) => x.memory.id)],
      );
    });
  }
}
