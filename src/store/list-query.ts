import type { ListQuery, Memory } from '../core/types.js';
import type { ScopeFilter } from './types.js';

/**
 * What `list` pages through, the same on every backend: the query's scope as a filter (active memories, plus
 * archived and deleted ones when asked; superseded facts included unless asked otherwise) and a page size of
 * 1 to 1,000 (default 100).
 */
export function listScope(tenant: string, query: ListQuery): { filter: ScopeFilter; limit: number } {
  const statuses: Memory['status'][] = ['active'];
  if (query.includeArchived) statuses.push('archived');
  if (query.includeDeleted) statuses.push('deleted');
  const filter: ScopeFilter = { tenant, statuses, includeSuperseded: query.includeSuperseded ?? true };
  if (query.user !== undefined) filter.user = query.user;
  if (query.agent !== undefined) filter.agent = query.agent;
  if (query.session !== undefined) filter.session = query.session;
  if (query.kind !== undefined) filter.kinds = Array.isArray(query.kind) ? query.kind : [query.kind];
  if (query.occurred?.from) filter.occurredFrom = query.occurred.from;
  if (query.occurred?.to) filter.occurredTo = query.occurred.to;
  return { filter, limit: Math.max(1, Math.min(query.limit ?? 100, 1000)) };
}
