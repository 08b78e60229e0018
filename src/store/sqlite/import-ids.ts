import type Database from 'better-sqlite3';
import type { Memory } from '../../core/types.js';
import { assignFreeIds } from '../import-ids.js';

/** SQLite side of `assignFreeIds`: looks up which imported ids exist, and in which tenant. */
export function giveFreeIds(db: Database.Database, memories: Memory[]): void {
  const owner = db.prepare('SELECT tenant FROM memories WHERE id = ?');
  const owners = new Map<string, string>();
  for (const m of memories) {
    const held = owner.get(m.id) as { tenant: string } | undefined;
    if (held) owners.set(m.id, held.tenant);
  }
  assignFreeIds(memories, owners);
}
