import type { Memory } from '../../core/types.js';
import { eventDays, queryDays } from '../event-days.js';
import { type EventQuery, type EventTimeIndexer, MAX_EVENT_DAYS, type ScoredId } from '../types.js';
import type { Database, Sql } from './db.js';
import { Params, scopeWhere } from './filters.js';
import { MEMORY_COLUMNS, type MemoryRow, rowToMemory } from './rows.js';

const META_KEY = 'event_times';

/**
 * Writes a transaction's memories' `event_times` rows in one statement: the rows of each memory given are
 * replaced by the indexer's ranges for it (none when it is deleted). Without an indexer nothing is written.
 */
export async function putEventTimes(
  tx: Sql,
  s: string,
  tenant: string,
  indexer: EventTimeIndexer | undefined,
  memories: { seq: string; memory: Memory }[],
): Promise<void> {
  if (!indexer || memories.length === 0) return;
  await tx.query(`DELETE FROM ${s}.event_times WHERE tenant = $1 AND seq = ANY ($2::bigint[])`, [
    tenant,
    memories.map((m) => m.seq),
  ]);
  const seqs: string[] = [];
  const users: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const grains: string[] = [];
  for (const { seq, memory } of memories) {
    if (memory.status === 'deleted') continue;
    for (const e of eventDays(indexer.events(memory))) {
      seqs.push(seq);
      users.push(memory.user);
      starts.push(e.start);
      ends.push(e.end);
      grains.push(e.granularity);
    }
  }
  if (seqs.length === 0) return;
  await tx.query(
    `INSERT INTO ${s}.event_times (tenant, seq, user_id, start_day, end_day, granularity)
     SELECT $1, q, u, a, b, g FROM unnest($2::bigint[], $3::text[], $4::int[], $5::int[], $6::text[]) AS x (q, u, a, b, g)
     ON CONFLICT (tenant, seq, start_day, end_day) DO NOTHING`,
    [tenant, seqs, users, starts, ends, grains],
  );
}

/**
 * Re-computes every row when the indexer differs from the one the schema was written with (or the rows
 * predate event times), under the schema lock so that servers opening together do it once. Without an
 * indexer, forgets the version so that the next open with one re-computes.
 */
export async function syncEventTimes(
  db: Database,
  s: string,
  indexer: EventTimeIndexer | undefined,
): Promise<void> {
  const current = await db.query<{ value: string }>(`SELECT value FROM ${s}.engram_meta WHERE key = $1`, [
    META_KEY,
  ]);
  if (!indexer) {
    if (current.length > 0) await db.query(`DELETE FROM ${s}.engram_meta WHERE key = $1`, [META_KEY]);
    return;
  }
  if (current[0]?.value === indexer.version) return;
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`engram-schema:${s}`]);
    const again = await tx.query<{ value: string }>(`SELECT value FROM ${s}.engram_meta WHERE key = $1`, [
      META_KEY,
    ]);
    if (again[0]?.value === indexer.version) return;
    await tx.query(`DELETE FROM ${s}.event_times`);
    // In pages, so that a large installation is never read into memory at once.
    let after = '';
    let afterSeq = '-1';
    for (;;) {
      const rows = await tx.query<MemoryRow & { seq: string }>(
        `SELECT seq, ${MEMORY_COLUMNS.join(', ')} FROM ${s}.memories
         WHERE status <> 'deleted' AND (tenant, seq) > ($1, $2::bigint) ORDER BY tenant, seq LIMIT 1000`,
        [after, afterSeq],
      );
      if (rows.length === 0) break;
      const byTenant = new Map<string, { seq: string; memory: Memory }[]>();
      for (const r of rows) {
        const memory = rowToMemory(r);
        byTenant.set(memory.tenant, [...(byTenant.get(memory.tenant) ?? []), { seq: String(r.seq), memory }]);
      }
      for (const [tenant, ms] of byTenant) await putEventTimes(tx, s, tenant, indexer, ms);
      const last = rows[rows.length - 1]!;
      after = String(last.tenant);
      afterSeq = String(last.seq);
    }
    await tx.query(
      `INSERT INTO ${s}.engram_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [META_KEY, indexer.version],
    );
  });
}

/** Memories whose event ranges overlap the query's days (EventQuery in ../types.ts), in one statement. */
export async function searchEventTimes(db: Sql, s: string, q: EventQuery): Promise<ScoredId[]> {
  const days = queryDays(q.from, q.to);
  if (!days || q.limit <= 0) return [];
  const p = new Params();
  const from = p.add(days.from);
  const to = p.add(days.to);
  const user = q.filter.user !== undefined ? `AND e.user_id = ${p.add(q.filter.user)}` : '';
  const where = scopeWhere(q.filter, p);
  const rows = await db.query<{ id: string; share: number }>(
    `SELECT m.id,
            max((least(e.end_day, ${to}::int) - greatest(e.start_day, ${from}::int))::float8 / (e.end_day - e.start_day)) AS share,
            min(e.end_day - e.start_day) AS span, m.seq
     FROM ${s}.event_times e JOIN ${s}.memories m ON m.tenant = e.tenant AND m.seq = e.seq
     WHERE e.tenant = ${p.add(q.filter.tenant)} ${user}
       AND e.start_day >= ${p.add(days.from - MAX_EVENT_DAYS)}::int AND e.start_day < ${to}::int AND e.end_day > ${from}::int
       AND ${where}
     GROUP BY m.seq, m.id ORDER BY share DESC, span ASC, m.seq DESC LIMIT ${p.add(q.limit)}`,
    p.values,
  );
  return rows.map((r) => ({ id: r.id, score: Number(r.share) }));
}
