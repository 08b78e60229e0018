import type Database from 'better-sqlite3';
import type { Memory } from '../../core/types.js';
import { SCAN_BELOW_KEY, scannedKey } from '../mention-scan.js';
import type { ScannedMentions } from '../types.js';
import { type MemoryRow, rowToMemory } from './rows.js';

/** Records where the scan for mentions stops, once per database (see ../mention-scan.ts). */
export function markMentionScan(db: Database.Database): void {
  db.prepare(
    `INSERT OR IGNORE INTO engram_meta (key, value) SELECT ?, CAST(coalesce(max(seq), 0) + 1 AS TEXT) FROM memories`,
  ).run(SCAN_BELOW_KEY);
}

/** The SQLite side of Store.unscannedMentions / saveScannedMentions. */
export class MentionScan {
  constructor(private readonly db: Database.Database) {}

  unscanned(tenant: string, limit: number): Memory[] {
    const rows = this.db
      .prepare(
        `SELECT m.* FROM memories m
         WHERE m.seq > coalesce((SELECT CAST(value AS INTEGER) FROM engram_meta WHERE key = ?), 0)
           AND m.seq < coalesce((SELECT CAST(value AS INTEGER) FROM engram_meta WHERE key = ?), 0)
           AND m.tenant = ? AND m.status <> 'deleted'
           AND NOT EXISTS (SELECT 1 FROM mentions n WHERE n.seq = m.seq)
         ORDER BY m.seq LIMIT ?`,
      )
      .all(scannedKey(tenant), SCAN_BELOW_KEY, tenant, limit) as MemoryRow[];
    return rows.map(rowToMemory);
  }

  save(tenant: string, scanned: ScannedMentions[]): void {
    const seqOf = this.db.prepare('SELECT seq, updated_at, status FROM memories WHERE tenant = ? AND id = ?');
    const hasAny = this.db.prepare('SELECT 1 FROM mentions WHERE seq = ?');
    const put = this.db.prepare(
      'INSERT OR IGNORE INTO mentions (seq, key, name, type, role, alias) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const cursor = this.db.prepare(
      `INSERT INTO engram_meta (key, value) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
    );
    this.db
      .transaction(() => {
        let last = 0;
        for (const { memory, mentions } of scanned) {
          const row = seqOf.get(tenant, memory.id) as
            | { seq: number; updated_at: string; status: string }
            | undefined;
          if (!row) continue;
          last = Math.max(last, row.seq);
          // Written since it was read (or deleted): that write decided its mentions.
          if (row.updated_at !== memory.updatedAt || row.status === 'deleted' || hasAny.get(row.seq))
            continue;
          for (const n of mentions) put.run(row.seq, n.key, n.name, n.type, n.role, n.alias);
        }
        if (last > 0) cursor.run(scannedKey(tenant), String(last));
      })
      .immediate();
  }
}
