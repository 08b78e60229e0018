import { pace } from '../../core/pace.js';
import type { ListQuery, Memory } from '../../core/types.js';
import type { Store } from '../../store/types.js';

/**
 * Rows per page. A page is read in one synchronous step on SQLite, and its cost grows with the texts it holds
 * (200 memories of 32,000 characters take ~20 ms): pages of this size, with a turn of the event loop between
 * them when the slice is used, keep a long listing from holding the loop.
 */
const PAGE = 200;

/** Every memory matching `query`, page by page. */
export async function listAll(
  store: Store,
  tenant: string,
  query: Omit<ListQuery, 'cursor' | 'limit'>,
): Promise<Memory[]> {
  const out: Memory[] = [];
  let cursor: string | null = null;
  do {
    const q: ListQuery = { ...query, limit: PAGE };
    if (cursor) q.cursor = cursor;
    const page = await store.list(tenant, q);
    out.push(...page.items);
    cursor = page.nextCursor;
    await pace();
  } while (cursor);
  return out;
}
