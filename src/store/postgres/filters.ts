import type { ScopeFilter } from '../types.js';

/** Collects positional parameters ($1, $2, …) while a statement is assembled. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The WHERE clause (on alias `m`) confining a query to a scope; the tenant is always applied. */
export function scopeWhere(filter: ScopeFilter, p: Params): string {
  const clauses = [`m.tenant = ${p.add(filter.tenant)}`];
  if (filter.user !== undefined) clauses.push(`m.user_id = ${p.add(filter.user)}`);
  if (filter.agent !== undefined) clauses.push(`m.agent = ${p.add(filter.agent)}`);
  if (filter.session !== undefined) clauses.push(`m.session = ${p.add(filter.session)}`);
  if (filter.kinds && filter.kinds.length > 0) clauses.push(`m.kind = ANY(${p.add(filter.kinds)}::text[])`);
  clauses.push(`m.status = ANY(${p.add(filter.statuses ?? ['active'])}::text[])`);
  if (filter.asOf !== undefined) {
    const at = p.add(filter.asOf);
    clauses.push(`m.valid_from <= ${at} AND (m.valid_to IS NULL OR m.valid_to > ${at})`);
  } else if (!filter.includeSuperseded) {
    clauses.push('m.valid_to IS NULL');
  }
  if (filter.occurredFrom !== undefined) clauses.push(`m.occurred_at >= ${p.add(filter.occurredFrom)}`);
  if (filter.occurredTo !== undefined) clauses.push(`m.occurred_at < ${p.add(filter.occurredTo)}`);
  return clauses.join(' AND ');
}
