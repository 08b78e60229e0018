import type Database from 'better-sqlite3';
import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { HistoryEntry, ListQuery, Memory, Page } from '../../core/types.js';
import { listScope } from '../list-query.js';
import type { MentionQuery, MentionRow, ScopeFilter } from '../types.js';
import { scopeWhere } from './filters.js';
import { type HistoryRow, type MemoryRow, rowToHistory, rowToMemory } from './rows.js';

/** Row reads by id, scope, page and history; each one statement (or a few chunks) on the caller's connection. */
export class Reads {
  constructor(private readonly db: Database.Database) {}

  get(tenant: string, id: string): Memory | null {
    const r = this.db.prepare('SELECT * FROM memories WHERE tenant = ? AND id = ?').get(tenant, id) as
      | MemoryRow
      | undefined;
    return r ? rowToMemory(r) : null;
  }

  getMany(tenant: string, ids: string[]): Memory[] {
    if (ids.length === 0) return [];
    const out: Memory[] = [];
    // Chunked to stay below SQLite's bound-parameter limit.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      // `+tenant` keeps the planner on the id index: with many ids it otherwise scans the tenant's rows.
      const rows = this.db
        .prepare(`SELECT * FROM memories WHERE +tenant = ? AND id IN (${chunk.map(() => '?').join(',')})`)
        .all(tenant, ...chunk) as MemoryRow[];
      out.push(...rows.map(rowToMemory));
    }
    const order = new Map(ids.map((id, i) => [id, i]));
    return out.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  }

  findExact(filter: ScopeFilter, text: string): Memory | null {
    const where = scopeWhere(filter);
    const r = this.db
      .prepare(`SELECT * FROM memories m WHERE ${where.sql} AND m.text = ? ORDER BY m.seq LIMIT 1`)
      .get(...where.params, text) as MemoryRow | undefined;
    return r ? rowToMemory(r) : null;
  }

  list(tenant: string, query: ListQuery): Page<Memory> {
    const { filter, limit } = listScope(tenant, query);
    const where = scopeWhere(filter);
    let after = 0;
    if (query.cursor) {
      after = Number(Buffer.from(query.cursor, 'base64url').toString('utf8'));
      if (!Number.isInteger(after) || after < 0) {
        throw new EngramError(
          ErrorCodes.INVALID_INPUT,
          'Invalid cursor; pass the nextCursor of a previous page',
        );
      }
    }
    const rows = this.db
      .prepare(`SELECT * FROM memories m WHERE ${where.sql} AND m.seq > ? ORDER BY m.seq LIMIT ?`)
      .all(...where.params, after, limit + 1) as MemoryRow[];
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(rowToMemory),
      nextCursor: more && last ? Buffer.from(String(last.seq)).toString('base64url') : null,
    };
  }

  history(tenant: string, id: string): HistoryEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM history WHERE tenant = ? AND memory_id = ? ORDER BY seq')
      .all(tenant, id) as HistoryRow[];
    return rows.map(rowToHistory);
  }

  speakers(tenant: string, user: string): string[] {
    const rows = this.db
      .prepare(
        'SELECT DISTINCT speaker FROM memories WHERE tenant = ? AND user_id = ? AND speaker IS NOT NULL LIMIT 200',
      )
      .all(tenant, user) as { speaker: string }[];
    return rows.map((r) => r.speaker);
  }

  missingVectors(tenant: string, model: string, limit: number): Memory[] {
    const rows = this.db
      .prepare(
        `SELECT m.* FROM memories m WHERE m.tenant = ?
         AND NOT EXISTS (SELECT 1 FROM vectors v WHERE v.seq = m.seq AND v.model = ?) ORDER BY m.seq LIMIT ?`,
      )
      .all(tenant, model, limit) as MemoryRow[];
    return rows.map(rowToMemory);
  }

  mentions(query: MentionQuery): MentionRow[] {
    const keys = query.keys ?? [];
    const byKey =
      keys.length > 0
        ? ` AND (n.key IN (${keys.map(() => '?').join(', ')}) OR n.alias IN (${keys.map(() => '?').join(', ')}))`
        : '';
    const rows = this.db
      .prepare(
        `SELECT m.id AS memoryId, m.occurred_at AS occurredAt, n.key, n.name, n.type, n.role, n.alias
         FROM memories m JOIN mentions n ON n.seq = m.seq
         WHERE m.tenant = ? AND m.user_id = ? AND m.status <> 'deleted'${byKey}
         ORDER BY m.occurred_at, m.seq, n.key LIMIT ?`,
      )
      .all(query.tenant, query.user, ...keys, ...keys, query.limit ?? 10_000) as MentionRow[];
    return rows;
  }
}
