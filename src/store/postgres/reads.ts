import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { HistoryEntry, ListQuery, Memory, Page, Stats } from '../../core/types.js';
import { listScope } from '../list-query.js';
import type { MentionQuery, MentionRow, ScopeFilter } from '../types.js';
import type { Sql } from './db.js';
import { Params, scopeWhere } from './filters.js';
import { type HistoryRow, MEMORY_SELECT, type MemoryRow, rowToHistory, rowToMemory } from './rows.js';
import { SCHEMA_VERSION } from './schema.js';

/** The PostgreSQL store's plain reads (no search): each one statement. */
export class Reads {
  constructor(
    private readonly db: Sql,
    private readonly s: string,
  ) {}

  async get(tenant: string, id: string): Promise<Memory | null> {
    const [r] = await this.db.query<MemoryRow>(
      `SELECT ${MEMORY_SELECT} FROM ${this.s}.memories m WHERE m.tenant = $1 AND m.id = $2`,
      [tenant, id],
    );
    return r ? rowToMemory(r) : null;
  }

  async getMany(tenant: string, ids: string[]): Promise<Memory[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<MemoryRow>(
      `SELECT ${MEMORY_SELECT} FROM ${this.s}.memories m WHERE m.tenant = $1 AND m.id = ANY ($2::text[])`,
      [tenant, ids],
      { prepare: true },
    );
    const order = new Map(ids.map((id, i) => [id, i]));
    return rows.map(rowToMemory).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  }

  async findExact(filter: ScopeFilter, text: string): Promise<Memory | null> {
    const p = new Params();
    const where = scopeWhere(filter, p);
    const [r] = await this.db.query<MemoryRow>(
      `SELECT ${MEMORY_SELECT} FROM ${this.s}.memories m WHERE ${where} AND m.text = ${p.add(text)} ORDER BY m.seq LIMIT 1`,
      p.values,
    );
    return r ? rowToMemory(r) : null;
  }

  async list(tenant: string, query: ListQuery): Promise<Page<Memory>> {
    const { filter, limit } = listScope(tenant, query);
    let after = 0n;
    if (query.cursor) {
      const raw = Buffer.from(query.cursor, 'base64url').toString('utf8');
      if (!/^\d{1,19}$/.test(raw)) {
        throw new EngramError(
          ErrorCodes.INVALID_INPUT,
          'Invalid cursor; pass the nextCursor of a previous page',
        );
      }
      after = BigInt(raw);
    }
    const p = new Params();
    const where = scopeWhere(filter, p);
    const rows = await this.db.query<MemoryRow & { seq: string }>(
      `SELECT m.seq, ${MEMORY_SELECT} FROM ${this.s}.memories m
       WHERE ${where} AND m.seq > ${p.add(after.toString())} ORDER BY m.seq LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(rowToMemory),
      nextCursor: more && last ? Buffer.from(String(last.seq)).toString('base64url') : null,
    };
  }

  async history(tenant: string, id: string): Promise<HistoryEntry[]> {
    const rows = await this.db.query<HistoryRow & Record<string, unknown>>(
      `SELECT * FROM ${this.s}.history WHERE tenant = $1 AND memory_id = $2 ORDER BY seq`,
      [tenant, id],
    );
    return rows.map(rowToHistory);
  }

  async speakers(tenant: string, user: string): Promise<string[]> {
    const rows = await this.db.query<{ speaker: string }>(
      `SELECT DISTINCT speaker FROM ${this.s}.memories WHERE tenant = $1 AND user_id = $2 AND speaker IS NOT NULL LIMIT 200`,
      [tenant, user],
    );
    return rows.map((r) => r.speaker);
  }

  async mentions(query: MentionQuery): Promise<MentionRow[]> {
    const keys = query.keys ?? [];
    const rows = await this.db.query<MentionRow>(
      `SELECT m.id AS "memoryId", m.occurred_at AS "occurredAt", n.key, n.name, n.type, n.role, n.alias
       FROM ${this.s}.memories m JOIN ${this.s}.mentions n ON n.tenant = m.tenant AND n.seq = m.seq
       WHERE m.tenant = $1 AND m.user_id = $2 AND m.status <> 'deleted'
       ${keys.length > 0 ? 'AND (n.key = ANY ($4::text[]) OR n.alias = ANY ($4::text[]))' : ''}
       ORDER BY m.occurred_at, m.seq, n.key LIMIT $3`,
      keys.length > 0
        ? [query.tenant, query.user, query.limit ?? 10_000, keys]
        : [query.tenant, query.user, query.limit ?? 10_000],
    );
    return rows;
  }

  async missingVectors(tenant: string, model: string, limit: number): Promise<Memory[]> {
    const rows = await this.db.query<MemoryRow>(
      `SELECT ${MEMORY_SELECT} FROM ${this.s}.memories m WHERE m.tenant = $1
       AND NOT EXISTS (SELECT 1 FROM ${this.s}.vectors v WHERE v.tenant = m.tenant AND v.seq = m.seq AND v.model = $2)
       ORDER BY m.seq LIMIT $3`,
      [tenant, model, limit],
    );
    return rows.map(rowToMemory);
  }

  async stats(tenant: string): Promise<Stats> {
    const s = this.s;
    const [row] = await this.db.query<Record<string, unknown>>(
      `SELECT
         (SELECT count(*) FROM ${s}.memories WHERE tenant = $1) AS memories,
         (SELECT coalesce(json_object_agg(k, n), '{}') FROM (SELECT kind AS k, count(*) AS n FROM ${s}.memories WHERE tenant = $1 GROUP BY kind) x) AS by_kind,
         (SELECT coalesce(json_object_agg(k, n), '{}') FROM (SELECT status AS k, count(*) AS n FROM ${s}.memories WHERE tenant = $1 GROUP BY status) x) AS by_status,
         (SELECT count(DISTINCT user_id) FROM ${s}.memories WHERE tenant = $1) AS users,
         (SELECT count(*) FROM (SELECT DISTINCT user_id, session FROM ${s}.memories WHERE tenant = $1 AND session IS NOT NULL) x) AS sessions,
         (SELECT count(*) FROM ${s}.history WHERE tenant = $1) AS history,
         (SELECT coalesce(json_object_agg(k, n), '{}') FROM (SELECT model AS k, count(*) AS n FROM ${s}.vectors WHERE tenant = $1 GROUP BY model) x) AS vectors,
         (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $2 AND c.relkind = 'r') AS bytes`,
      [tenant, s],
    );
    const counts = (v: unknown) =>
      Object.fromEntries(
        Object.entries((v ?? {}) as Record<string, unknown>).map(([k, n]) => [k, Number(n)]),
      );
    return {
      memories: Number(row!.memories),
      byKind: counts(row!.by_kind),
      byStatus: counts(row!.by_status),
      users: Number(row!.users),
      sessions: Number(row!.sessions),
      historyEntries: Number(row!.history),
      vectors: counts(row!.vectors),
      dbBytes: row!.bytes === null ? null : Number(row!.bytes),
      schemaVersion: SCHEMA_VERSION,
    };
  }
}
