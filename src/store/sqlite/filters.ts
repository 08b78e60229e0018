import type { ScopeFilter } from '../types.js';

/** Builds the WHERE clause (on alias `m`) that confines a query to a scope; the tenant is always applied. */
export function scopeWhere(filter: ScopeFilter): { sql: string; params: unknown[] } {
  const clauses = ['m.tenant = ?'];
  const params: unknown[] = [filter.tenant];
  if (filter.user !== undefined) {
    clauses.push('m.user_id = ?');
    params.push(filter.user);
  }
  if (filter.agent !== undefined) {
    clauses.push('m.agent = ?');
    params.push(filter.agent);
  }
  if (filter.session !== undefined) {
    clauses.push('m.session = ?');
    params.push(filter.session);
  }
  if (filter.kinds && filter.kinds.length > 0) {
    clauses.push(`m.kind IN (${filter.kinds.map(() => '?').join(',')})`);
    params.push(...filter.kinds);
  }
  const statuses = filter.statuses ?? ['active'];
  clauses.push(`m.status IN (${statuses.map(() => '?').join(',')})`);
  params.push(...statuses);
  if (filter.asOf !== undefined) {
    clauses.push('m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to > ?)');
    params.push(filter.asOf, filter.asOf);
  } else if (!filter.includeSuperseded) {
    clauses.push('m.valid_to IS NULL');
  }
  if (filter.occurredFrom !== undefined) {
    clauses.push('m.occurred_at >= ?');
    params.push(filter.occurredFrom);
  }
  if (filter.occurredTo !== undefined) {
    clauses.push('m.occurred_at < ?');
    params.push(filter.occurredTo);
  }
  return { sql: clauses.join(' AND '), params };
}
