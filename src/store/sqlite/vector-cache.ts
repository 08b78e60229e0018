import type Database from 'better-sqlite3';
import type { Memory } from '../../core/types.js';
import type { ScopeFilter, ScoredId, StoredVector } from '../types.js';
import {
  appendToScope,
  searchScope,
  type VectorScope,
  type VectorScopeRow,
  vectorScope,
  vectorScopeBytes,
} from '../vectors/scope.js';

/**
 * Exact vector search over per-(tenant, user, model) matrices held in memory, loaded from SQLite on first use
 * and kept within a byte budget (least recently searched scopes dropped first; the scope just searched stays).
 */
export class VectorCache {
  private readonly scopes = new Map<string, VectorScope>();

  constructor(
    private readonly db: Database.Database,
    private readonly budgetBytes: number,
  ) {}

  search(filter: ScopeFilter, model: string, query: Float32Array, limit: number): ScoredId[] {
    return searchScope(this.scopeVectors(filter.tenant, filter.user, model), filter, model, query, limit);
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
      if (!appendToScope(scope, m, v)) this.scopes.delete(key);
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
    for (const scope of this.scopes.values()) bytes += vectorScopeBytes(scope);
    return { scopes: this.scopes.size, bytes };
  }

  private scopeVectors(tenant: string, user: string | undefined, model: string): VectorScope {
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
    const scope = vectorScope(all);
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
      total -= vectorScopeBytes(scope);
    }
  }
}
