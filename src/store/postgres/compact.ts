/**
 * `erase --compact` on PostgreSQL: erased rows leave dead versions in the table files until a table is
 * rewritten. VACUUM FULL rewrites every table that holds memory text or words from it; it keeps a dead version
 * that someone could still see — a transaction open in the database since before the erase committed, a
 * prepared transaction, a replication slot — so the answer says when that may have happened.
 */
import type { Database } from './db.js';
import { ENGRAM_TABLES } from './schema.js';

/** What `compact` rewrote fully, or why old row versions may remain. */
export interface CompactResult {
  complete: boolean;
  reason?: string;
}

/** Every table with memory text or words from it; keys and metadata hold none. */
const COMPACTED_TABLES = [...ENGRAM_TABLES].filter((t) => t !== 'api_keys' && t !== 'engram_meta');

export async function compactTables(db: Database, schema: string): Promise<CompactResult> {
  const [{ started } = { started: '' }] = await db.query<{ started: string }>(
    'SELECT clock_timestamp()::text AS started',
  );
  // Takes an exclusive lock on each table while it is rewritten.
  for (const t of COMPACTED_TABLES) await db.query(`VACUUM FULL ${schema}.${t}`);
  const [held] = await db.query<{ open: string; prepared: string; slots: string }>(
    `SELECT (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND (backend_xmin IS NOT NULL OR backend_xid IS NOT NULL) AND xact_start < $1::timestamptz) AS open,
            (SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()) AS prepared,
            (SELECT count(*) FROM pg_replication_slots WHERE xmin IS NOT NULL) AS slots`,
    [started],
  );
  const reasons: string[] = [];
  if (Number(held?.open) > 0) reasons.push(`${held?.open} transaction(s) open since before the rewrite`);
  if (Number(held?.prepared) > 0) reasons.push(`${held?.prepared} prepared transaction(s)`);
  if (Number(held?.slots) > 0) reasons.push(`${held?.slots} replication slot(s)`);
  if (reasons.length === 0) return { complete: true };
  return {
    complete: false,
    reason: `${reasons.join(', ')} may still see erased rows, so their old versions were kept; compact again once they have ended`,
  };
}
