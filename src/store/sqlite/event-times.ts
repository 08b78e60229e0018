import type Database from 'better-sqlite3';
import type { Memory } from '../../core/types.js';
import { eventDays, queryDays } from '../event-days.js';
import { type EventQuery, type EventTimeIndexer, MAX_EVENT_DAYS, type ScoredId } from '../types.js';
import { scopeWhere } from './filters.js';
import { type MemoryRow, rowToMemory } from './rows.js';

const META_KEY = 'event_times';

/**
 * The `event_times` rows of the SQLite store: written in the caller's transaction with the memory they belong
 * to, found by overlap with a queried range. Without an indexer nothing is written and nothing found.
 */
export class EventTimes {
  constructor(
    private readonly db: Database.Database,
    private readonly indexer: EventTimeIndexer | undefined,
  ) {}

  /** Replaces a memory's rows with the indexer's ranges for it (none when it is deleted). */
  put(seq: number, memory: Memory): void {
    if (!this.indexer) return;
    this.db.prepare('DELETE FROM event_times WHERE seq = ?').run(seq);
    if (memory.status === 'deleted') return;
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO event_times (seq, tenant, user_id, start_day, end_day, granularity) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const e of eventDays(this.indexer.events(memory))) {
      insert.run(seq, memory.tenant, memory.user, e.start, e.end, e.granularity);
    }
  }

  /**
   * Re-computes every row when the indexer differs from the one the file was written with (or when the rows
   * predate event times); without an indexer, forgets the version so that the next open with one re-computes.
   */
  sync(): void {
    const row = this.db.prepare('SELECT value FROM engram_meta WHERE key = ?').get(META_KEY) as
      | { value: string }
      | undefined;
    if (!this.indexer) {
      if (row) this.db.prepare('DELETE FROM engram_meta WHERE key = ?').run(META_KEY);
      return;
    }
    if (row?.value === this.indexer.version) return;
    const version = this.indexer.version;
    this.db
      .transaction(() => {
        this.db.prepare('DELETE FROM event_times').run();
        // In pages (a statement being iterated cannot share the connection with the writes).
        const page = this.db.prepare(
          "SELECT * FROM memories WHERE status <> 'deleted' AND seq > ? ORDER BY seq LIMIT 1000",
        );
        for (let after = 0; ; ) {
          const rows = page.all(after) as MemoryRow[];
          if (rows.length === 0) break;
          for (const r of rows) this.put(r.seq, rowToMemory(r));
          after = rows[rows.length - 1]!.seq;
        }
        this.db
          .prepare(
            'INSERT INTO engram_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
          )
          .run(META_KEY, version);
      })
      .immediate();
  }

  search(q: EventQuery): ScoredId[] {
    const days = queryDays(q.from, q.to);
    // Without an indexer the rows may be stale (they are recomputed on the next open with one).
    if (!this.indexer || !days || q.limit <= 0) return [];
    const scope = scopeWhere(q.filter);
    const user = q.filter.user !== undefined ? 'AND e.user_id = ?' : '';
    const rows = this.db
      .prepare(
        `SELECT m.id AS id,
                max((min(e.end_day, ?) - max(e.start_day, ?)) * 1.0 / (e.end_day - e.start_day)) AS share,
                min(e.end_day - e.start_day) AS span
         FROM event_times e JOIN memories m ON m.seq = e.seq
         WHERE e.tenant = ? ${user} AND e.start_day >= ? AND e.start_day < ? AND e.end_day > ? AND ${scope.sql}
         GROUP BY m.seq ORDER BY share DESC, span ASC, m.seq DESC LIMIT ?`,
      )
      .all(
        days.to,
        days.from,
        q.filter.tenant,
        ...(q.filter.user !== undefined ? [q.filter.user] : []),
        days.from - MAX_EVENT_DAYS,
        days.to,
        days.from,
        ...scope.params,
        q.limit,
      ) as { id: string; share: number }[];
    return rows.map((r) => ({ id: r.id, score: r.share }));
  }
}
