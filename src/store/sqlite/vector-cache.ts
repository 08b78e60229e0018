import type Database from 'better-sqlite3';
import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { Memory } from '../../core/types.js';
import type { ScopeFilter, ScoredId, StoredVector } from '../types.js';
import { type FilterableRow, rowMatches } from './filters.js';
import { TopK } from './topk.js';
import { VectorMatrix, type VectorScopeRow, vectorScope } from './vector-scan.js';

/** What one cached row costs besides its vector: the id string and the filterable fields (measured ~200 B). */
const CACHED_ROW_BYTES = 200;

interface CachedScope {
  ids: string[];
  rows: FilterableRow[];
  /** Row i holds the vector of ids[i]; null while the scope holds no vector. */
  matrix: VectorMatrix | null;
}

function cachedScopeBytes(scope: CachedScope): number {
  return (scope.matrix?.byteLength ?? 0) + scope.ids.length * CACHED_ROW_BYTES;
}

/**
 * Exact vector search over per-(tenant, user, model) matrices held in memory, loaded from SQLite on first use
 * and kept within a byte budget (least recently searched scopes dropped first; the scope just searched stays).
 */
export class VectorCache {
  private readonly scopes = new Map<string, CachedScope>();

  constructor(
    private readonly db: Database.Database,
    private readonly budgetBytes: number,
  ) {}

  search(filter: ScopeFilter, model: string, query: Float32Array, limit: number): ScoredId[] {
    const scope = this.scopeVectors(filter.tenant, filter.user, model);
    const { matrix, rows } = scope;
    if (!matrix || matrix.rows === 0 || limit <= 0) return [];
    if (matrix.dims !== query.length) {
      throw new EngramError(
        ErrorCodes.EMBEDDER_ERROR,
        `Query vector has ${query.length} dimensions but stored ${model} vectors have ${matrix.dims}`,
      );
    }
    const top = new TopK(limit);
    // Every row's score in one pass (SIMD), then the scope's rows among them.
    const scores = matrix.scores(query);
    if (isPlainScope(filter)) {
      // The common scope (active, current, no other filter): a flag per row instead of reading row objects
      // keeps the loop on typed arrays, twice as fast at 100k memories.
      const live = liveFlags(scope);
      for (let i = 0; i < rows.length; i++) if (live[i] === 1) top.push(i, scores[i]!);
    } else {
      for (let i = 0; i < rows.length; i++) {
        if (rowMatches(filter, rows[i]!)) top.push(i, scores[i]!);
      }
    }
    return top.result().map((r) => ({ id: scope.ids[r.index]!, score: r.score }));
  }

  /**
   * Adds a freshly inserted memory (active, current) to the cached scopes it belongs to. New memories extend
   * the cached scopes instead of dropping them: rebuilding a 100k-memory scope costs over a second, and a
   * chat that stores every turn would pay it on every search.
   */
  append(m: Memory, v: StoredVector | undefined): void {
    if (!v) return;
    for (const key of [`${m.tenant}\u0000${m.user}\u0000${v.model}`, `${m.tenant}\u0000\u0000${v.model}`]) {
      const scope = this.scopes.get(key);
      if (!scope) continue;
      scope.matrix ??= new VectorMatrix(v.vector.length);
      if (scope.matrix.dims !== v.vector.length) {
        this.scopes.delete(key);
        continue;
      }
      scope.matrix.push(v.vector);
      scope.ids.push(m.id);
      scope.rows.push({
        agent: m.agent,
        session: m.session,
        kind: m.kind,
        status: m.status,
        validFrom: m.validFrom,
        validTo: m.validTo,
        occurredAt: m.occurredAt,
      });
    }
  }

  /** Drops the cached scopes of a user (and the tenant-wide ones), or of the whole tenant. */
  invalidate(tenant: string, user?: string): void {
    for (const key of this.scopes.keys()) {
      const [t, u] = key.split('\u0000');
      if (t === tenant && (user === undefined || u === user || u === '')) this.scopes.delete(key);
    }
  }

  clear(): void {
    this.scopes.clear();
  }

  /** Cached vector scopes and their estimated bytes, for tests and diagnostics. */
  usage(): { scopes: number; bytes: number } {
    let bytes = 0;
    for (const scope of this.scopes.values()) bytes += cachedScopeBytes(scope);
    return { scopes: this.scopes.size, bytes };
  }

  private scopeVectors(tenant: string, user: string | undefined, model: string): CachedScope {
    const key = `${tenant}\u0000${user ?? ''}\u0000${model}`;
    const hit = this.scopes.get(key);
    if (hit) {
      // Map order is the LRU order: a hit moves to the back.
      this.scopes.delete(key);
      this.scopes.set(key, hit);
      return hit;
    }
    const all = (
      user === undefined
        ? this.db
            .prepare(
              `SELECT m.id, m.agent, m.session, m.kind, m.status, m.valid_from, m.valid_to, m.occurred_at, v.vector
               FROM vectors v JOIN memories m ON m.seq = v.seq WHERE m.tenant = ? AND v.model = ? ORDER BY m.seq`,
            )
            .all(tenant, model)
        : this.db
            .prepare(
              `SELECT m.id, m.agent, m.session, m.kind, m.status, m.valid_from, m.valid_to, m.occurred_at, v.vector
               FROM memories m JOIN vectors v ON v.seq = m.seq
               WHERE m.tenant = ? AND m.user_id = ? AND v.model = ? ORDER BY m.seq`,
            )
            .all(tenant, user, model)
    ) as VectorScopeRow[];
    const scope: CachedScope = vectorScope(all);
    this.scopes.set(key, scope);
    this.evict(key);
    return scope;
  }

  /** Drops the least recently used scopes (never `keep`) until the cache fits its byte budget. */
  private evict(keep: string): void {
    let total = this.usage().bytes;
    for (const [key, scope] of this.scopes) {
      if (total <= this.budgetBytes) break;
      if (key === keep) continue;
      this.scopes.delete(key);
      total -= cachedScopeBytes(scope);
    }
  }
}

const liveCache = new WeakMap<CachedScope, Uint8Array>();

/** 1 for each cached row that is active and current; rebuilt when the scope has grown. */
function liveFlags(scope: CachedScope): Uint8Array {
  let live = liveCache.get(scope);
  if (!live || live.length !== scope.rows.length) {
    live = Uint8Array.from(scope.rows, (r) => (r.status === 'active' && r.validTo === null ? 1 : 0));
    liveCache.set(scope, live);
  }
  return live;
}

/** Whether a filter asks for no more than the default: active, current memories of a tenant/user. */
function isPlainScope(f: ScopeFilter): boolean {
  return (
    f.agent === undefined &&
    f.session === undefined &&
    (f.kinds === undefined || f.kinds.length === 0) &&
    (f.statuses === undefined || (f.statuses.length === 1 && f.statuses[0] === 'active')) &&
    !f.includeSuperseded &&
    f.asOf === undefined &&
    f.occurredFrom === undefined &&
    f.occurredTo === undefined
  );
}
