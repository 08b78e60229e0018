import type { ListQuery, Memory } from '../../core/types.js';
import type { Store } from '../../store/types.js';

/** Every memory matching `query`, page by page (the store caps a page at 1000). */
export async function listAll(
  store: Store,
  tenant: string,
  query: Omit<ListQuery, 'cursor' | 'limit'>,
): Promise<Memory[]> {
  const out: Memory[] = [];
  let cursor: string | null = null;
  do {
    const q: ListQuery = { ...query, limit: 1000 };
    if (cursor) q.cursor = cursor;
    const page = await store.list(tenant, q);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}
