import type { ScopeFilter } from '../types.js';

/**
 * A scope filter applied in memory to rows of a vector cache (both stores' exact vector search). It must agree
 * with the SQL each store builds for the same filter (sqlite/filters.ts, postgres/filters.ts).
 */
export interface FilterableRow {
  agent: string | null;
  session: string | null;
  kind: string;
  status: string;
  validFrom: string;
  validTo: string | null;
  occurredAt: string;
}

export function rowMatches(filter: ScopeFilter, r: FilterableRow): boolean {
  if (filter.agent !== undefined && r.agent !== filter.agent) return false;
  if (filter.session !== undefined && r.session !== filter.session) return false;
  if (filter.kinds && filter.kinds.length > 0 && !filter.kinds.includes(r.kind)) return false;
  const statuses = filter.statuses ?? ['active'];
  if (!(statuses as string[]).includes(r.status)) return false;
  if (filter.asOf !== undefined) {
    if (r.validFrom > filter.asOf) return false;
    if (r.validTo !== null && r.validTo <= filter.asOf) return false;
  } else if (!filter.includeSuperseded && r.validTo !== null) return false;
  if (filter.occurredFrom !== undefined && r.occurredAt < filter.occurredFrom) return false;
  if (filter.occurredTo !== undefined && r.occurredAt >= filter.occurredTo) return false;
  return true;
}
