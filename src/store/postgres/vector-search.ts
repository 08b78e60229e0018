import type { Memory } from '../../core/types.js';
import type { ScoredId, StoredVector, VectorQuery } from '../types.js';
import {
  appendToScope,
  searchScope,
  type VectorScope,
  type VectorScopeRow,
  vectorScope,
  vectorScopeBytes,
} from '../vectors/scope.js';
import type { Sql } from './db.js';
import { Params, scopeWhere } from './filters.js';
import { vectorLiteral } from './rows.js';

interface CachedScope extends VectorScope {
  version: string;
}

/**
 * Exact cosine search without the `vector` extension: each user's vectors of a model are loaded into a matrix in
 * this process and scanned. A cached matrix is valid while the user's version (scope_versions, bumped by every
 * write to the user's memories on any server) is the one it was loaded at: every search reads the version, in
 * the statement that runs its text lists (`versionSql`), so what another server wrote is found at once and a
 * search whose matrix is current costs no round trip of its own. This process's own inserts extend the matrix.
 */
export class ExactVectors {
  private readonly cache = new Map<string, CachedScope>();

  constructor(
    private readonly s: string,
    private readonly budgetBytes: number,
  ) {}

  /**
   * A SELECT of the query's user's version as (id = version, score, seq), to run beside the text lists; null for
   * a tenant-wide query (not cached: loaded by every search).
   */
  versionSql(q: VectorQuery, p: Params): string | null {
    if (q.filter.user === undefined || q.limit <= 0) return null;
    return `SELECT coalesce(max(version), 0)::text AS id, 0::float8 AS score, 0::bigint AS seq
      FROM ${this.s}.scope_versions WHERE tenant = ${p.add(q.filter.tenant)} AND user_id = ${p.add(q.filter.user)}`;
  }

  /** Searches with the user's version read just before (`versionSql`); null = a tenant-wide query. */
  async search(db: Sql, q: VectorQuery, version: string | null): Promise<ScoredId[]> {
    if (q.limit <= 0) return [];
    const scope = version === null ? await this.load(db, q, '') : await this.scope(db, q, version);
    return searchScope(scope, q.filter, q.model, q.vector, q.limit);
  }

  private key(tenant: string, user: string, model: string): string {
    return `${tenant}\u0000${user}\u0000${model}`;
  }

  private async scope(db: Sql, q: VectorQuery, version: string): Promise<CachedScope> {
    const key = this.key(q.filter.tenant, q.filter.user!, q.model);
    const hit = this.cache.get(key);
    if (hit && hit.version === version) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const loaded = await this.load(db, q, version);
    this.cache.set(key, loaded);
    this.evict(key);
    return loaded;
  }

  /** Reads the scope's vectors; `version` was read before, so a write in between only makes the copy newer. */
  private async load(db: Sql, q: VectorQuery, version: string): Promise<CachedScope> {
    const p = new Params();
    const where = [`m.tenant = ${p.add(q.filter.tenant)}`];
    if (q.filter.user !== undefined) where.push(`m.user_id = ${p.add(q.filter.user)}`);
    const rows = await db.query<VectorScopeRow>(
      `SELECT m.id, m.agent, m.session, m.kind, m.status, m.valid_from, m.valid_to, m.occurred_at, v.vector
       FROM ${this.s}.memories m JOIN ${this.s}.vectors v ON v.tenant = m.tenant AND v.seq = m.seq
       WHERE ${where.join(' AND ')} AND v.model = ${p.add(q.model)} ORDER BY m.seq`,
      p.values,
    );
    return { version, ...vectorScope(rows) };
  }

  /**
   * After this process committed a write to a user: when the cached copy was current just before it (version
   * + 1) and the write only added memories, extend it; otherwise drop it (the next search reloads).
   */
  afterWrite(
    tenant: string,
    user: string,
    version: string,
    inserted: { memory: Memory; vector: StoredVector | undefined }[],
    onlyInserts: boolean,
  ): void {
    for (const [key, scope] of this.cache) {
      const [t, u, model] = key.split('\u0000');
      if (t !== tenant || u !== user) continue;
      if (!onlyInserts || BigInt(scope.version) + 1n !== BigInt(version)) {
        this.cache.delete(key);
        continue;
      }
      for (const { memory, vector } of inserted) {
        if (!vector || vector.model !== model) continue;
        if (!appendToScope(scope, memory, vector)) {
          this.cache.delete(key);
          break;
        }
      }
      scope.version = version;
    }
  }

  clear(): void {
    this.cache.clear();
  }

  private evict(keep: string): void {
    let total = 0;
    for (const s of this.cache.values()) total += vectorScopeBytes(s);
    for (const [key, s] of this.cache) {
      if (total <= this.budgetBytes) break;
      if (key === keep) continue;
      this.cache.delete(key);
      total -= vectorScopeBytes(s);
    }
  }
}

/**
 * Cosine search with pgvector: an HNSW index per model (vectors of one model share their dimensions), searched
 * with iterative scans so that a filter to one user still yields `limit` rows.
 */
export class PgvectorSearch {
  private readonly indexed = new Set<string>();

  constructor(private readonly s: string) {}

  /** Creates the model's HNSW index on first use (inside the writer's transaction). */
  async ensureIndex(tx: Sql, model: string, dims: number): Promise<void> {
    const key = `${model}\u0000${dims}`;
    if (this.indexed.has(key)) return;
    const name = `vectors_hnsw_${hash(key)}`;
    await tx.query(
      `CREATE INDEX IF NOT EXISTS ${name} ON ${this.s}.vectors USING hnsw ((embedding::vector(${dims})) vector_cosine_ops)
       WHERE model = ${literal(model)}`,
    );
    this.indexed.add(key);
  }

  /** `inTx` runs the query in a transaction of its own (the scan settings are SET LOCAL). */
  async search(
    q: VectorQuery,
    inTx: (fn: (tx: Sql) => Promise<ScoredId[]>) => Promise<ScoredId[]>,
  ): Promise<ScoredId[]> {
    if (q.limit <= 0) return [];
    const dims = q.vector.length;
    const p = new Params();
    const where = scopeWhere(q.filter, p);
    const vec = p.add(vectorLiteral(q.vector));
    const sql = `SELECT m.id, 1 - ((v.embedding::vector(${dims})) <=> ${vec}::vector(${dims})) AS score
      FROM ${this.s}.vectors v JOIN ${this.s}.memories m ON m.tenant = v.tenant AND m.seq = v.seq
      WHERE v.tenant = ${p.add(q.filter.tenant)} AND v.model = ${literal(q.model)}
        AND ${where}
      ORDER BY (v.embedding::vector(${dims})) <=> ${vec}::vector(${dims}) LIMIT ${p.add(q.limit)}`;
    return inTx(async (tx) => {
      await tx.query("SET LOCAL hnsw.iterative_scan = 'strict_order'");
      await tx.query(`SET LOCAL hnsw.ef_search = ${Math.max(40, Math.min(1000, q.limit * 2))}`);
      const rows = await tx.query<{ id: string; score: number }>(sql, p.values);
      return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
    });
  }
}

/** A SQL string literal (models are ids like "glove-6B-100d"; quotes are doubled regardless). */
function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function hash(value: string): string {
  let h = 2166136261;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0).toString(16);
}
