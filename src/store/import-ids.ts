import { monotonicFactory } from 'ulid';
import { EngramError, ErrorCodes } from '../core/errors.js';
import type { Memory } from '../core/types.js';

const newId = monotonicFactory();

/**
 * A tenant must not learn which ids other tenants hold, and ids stay unique across tenants on every backend (so
 * `migrate` between backends never meets a clash): an imported id that exists in the importing tenant (or twice
 * in the import) is a CONFLICT and nothing is imported; one held by another tenant is replaced by a new id, as
 * are references to it (supersededBy) within the import. `owners` maps the imported ids that already exist to
 * the tenant holding them. Mutates `memories`; runs inside the import's transaction.
 */
export function assignFreeIds(memories: Memory[], owners: ReadonlyMap<string, string>): void {
  const renamed = new Map<string, string>();
  const seen = new Set<string>();
  for (const m of memories) {
    const held = owners.get(m.id);
    if (held === m.tenant || seen.has(m.id)) {
      throw new EngramError(ErrorCodes.CONFLICT, `Memory ${m.id} already exists; nothing was imported`);
    }
    seen.add(m.id);
    if (held !== undefined) {
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
