import type Database from 'better-sqlite3';
import { monotonicFactory } from 'ulid';
import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { Memory } from '../../core/types.js';

const newId = monotonicFactory();

/**
 * Ids are unique in the file, but a tenant must not learn which ids other tenants hold: an imported id that
 * exists in the importing tenant (or twice in the import) is a CONFLICT and nothing is imported; one held by
 * another tenant is replaced by a new id, as are references to it (supersededBy) within the import. Runs
 * inside the import's transaction.
 */
export function giveFreeIds(db: Database.Database, memories: Memory[]): void {
  const owner = db.prepare('SELECT tenant FROM memories WHERE id = ?');
  const renamed = new Map<string, string>();
  const seen = new Set<string>();
  for (const m of memories) {
    const held = owner.get(m.id) as { tenant: string } | undefined;
    if ((held && held.tenant === m.tenant) || seen.has(m.id)) {
      throw new EngramError(ErrorCodes.CONFLICT, `Memory ${m.id} already exists; nothing was imported`);
    }
    seen.add(m.id);
    if (held) {
      const fresh = newId();
      renamed.set(m.id, fresh);
      m.id = fresh;
    }
  }
  for (const m of memories) {
    const to = m.supersededBy === null ? undefined : renamed.get(m.supersededBy);
    if (to !== undefined) m.supersededBy = to;
  }
}
