import type Database from 'better-sqlite3';
import type { Stats } from '../../core/types.js';
import { SCHEMA_VERSION } from './schema.js';

/** Counts of a tenant's memories, history and vectors, and the file's size. */
export function tenantStats(db: Database.Database, tenant: string): Stats {
  const count = (sql: string, ...p: unknown[]) => (db.prepare(sql).get(...p) as { n: number }).n;
  const group = (sql: string) =>
    Object.fromEntries(
      (db.prepare(sql).all(tenant) as { k: string; n: number }[]).map((r) => [r.k, r.n]),
    ) as Record<string, number>;
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  return {
    memories: count('SELECT count(*) AS n FROM memories WHERE tenant = ?', tenant),
    byKind: group('SELECT kind AS k, count(*) AS n FROM memories WHERE tenant = ? GROUP BY kind'),
    byStatus: group('SELECT status AS k, count(*) AS n FROM memories WHERE tenant = ? GROUP BY status'),
    users: count('SELECT count(DISTINCT user_id) AS n FROM memories WHERE tenant = ?', tenant),
    sessions: count(
      'SELECT count(*) AS n FROM (SELECT DISTINCT user_id, session FROM memories WHERE tenant = ? AND session IS NOT NULL)',
      tenant,
    ),
    historyEntries: count('SELECT count(*) AS n FROM history WHERE tenant = ?', tenant),
    vectors: group(
      'SELECT v.model AS k, count(*) AS n FROM vectors v JOIN memories m ON m.seq = v.seq WHERE m.tenant = ? GROUP BY v.model',
    ),
    dbBytes: pageCount * pageSize,
    schemaVersion: SCHEMA_VERSION,
  };
}
