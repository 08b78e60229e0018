/**
 * Entities of one user, assembled from the mentions of their memories: a relation and the name it was given
 * become one entity ("my sister" + "my sister Ana" + "Ana" → Ana), and each entity keeps its mentions in
 * time order and the entities mentioned beside it. Pure: the caller hands in memories and their mentions.
 */
import type { EntityMention, EntityType } from './types.js';

export interface MentionedIn {
  memoryId: string;
  occurredAt: string;
  session: string | null;
  role: EntityMention['role'];
}

export interface EntityNode {
  /** Canonical key: the named one when a relation was linked to a name. */
  key: string;
  name: string;
  type: EntityType;
  /** Every key and name it is known by ("kin:maya:sister", "Maya's sister"). */
  aliases: string[];
  mentions: MentionedIn[];
  /** Other entities in the same memories, most often first. */
  related: Array<{ key: string; name: string; type: EntityType; together: number }>;
}

export interface MemoryMentions {
  memoryId: string;
  occurredAt: string;
  session: string | null;
  mentions: EntityMention[];
}

/** Union-find over keys: a linked relation points to its name. */
class Links {
  private readonly parent = new Map<string, string>();
  find(key: string): string {
    let k = key;
    while (this.parent.has(k) && this.parent.get(k) !== k) k = this.parent.get(k)!;
    return k;
  }
  /** `alias` joins `named`; the named key stays the root. */
  link(alias: string, named: string): void {
    const a = this.find(alias);
    const b = this.find(named);
    if (a === b) return;
    // A kin key never becomes the root over a name.
    if (b.startsWith('kin:') && !a.startsWith('kin:')) this.parent.set(b, a);
    else this.parent.set(a, b);
  }
}

/** Types a capitalised name may be read as in different memories; one name is one entity. */
const NAMED = new Set<EntityType>(['person', 'place', 'organization', 'pet']);

export function buildEntityGraph(input: readonly MemoryMentions[]): Map<string, EntityNode> {
  // A tentative mention (a capitalised sentence opener) counts where the same name is certain elsewhere.
  const certain = new Set<string>();
  for (const item of input)
    for (const m of item.mentions)
      if (m.role !== 'tentative') certain.add(m.key.slice(m.key.indexOf(':') + 1));
  const items = input
    .map((item) => ({
      ...item,
      mentions: item.mentions.filter(
        (m) => m.role !== 'tentative' || certain.has(m.key.slice(m.key.indexOf(':') + 1)),
      ),
    }))
    .filter((item) => item.mentions.length > 0);
  const links = new Links();
  for (const item of items) for (const m of item.mentions) if (m.alias) links.link(m.alias, m.key);
  // "Pretzel" read as a person where nothing says it is a dog, and as a pet where something does: one
  // entity, of the type most memories read it as (a pet or a relation's name once established wins).
  const votes = new Map<string, Map<string, number>>();
  for (const item of items) {
    for (const m of item.mentions) {
      if (!NAMED.has(m.type) || m.key.startsWith('kin:')) continue;
      const slug = m.key.slice(m.key.indexOf(':') + 1);
      const row = votes.get(slug) ?? new Map<string, number>();
      row.set(m.key, (row.get(m.key) ?? 0) + (m.type === 'pet' || m.alias ? 100 : 1));
      votes.set(slug, row);
    }
  }
  for (const row of votes.values()) {
    if (row.size < 2) continue;
    const [winner] = [...row.entries()].sort((a, b) => b[1] - a[1])[0]!;
    for (const key of row.keys()) if (key !== winner) links.link(key, winner);
  }
  const nodes = new Map<string, EntityNode>();
  const together = new Map<string, Map<string, number>>();
  const sorted = [...items].sort((a, b) =>
    a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0,
  );
  for (const item of sorted) {
    const roots = new Set<string>();
    for (const m of item.mentions) {
      const root = links.find(m.key);
      roots.add(root);
      let node = nodes.get(root);
      if (!node) {
        node = { key: root, name: m.name, type: m.type, aliases: [], mentions: [], related: [] };
        nodes.set(root, node);
      }
      if (m.key === root && !m.key.startsWith('kin:')) {
        node.name = m.name;
        node.type = m.type;
      }
      for (const alias of [m.key, m.name, ...(m.alias ? [m.alias] : [])])
        if (alias !== root && alias !== node.name && !node.aliases.includes(alias)) node.aliases.push(alias);
      const last = node.mentions.at(-1);
      if (last?.memoryId === item.memoryId) continue;
      node.mentions.push({
        memoryId: item.memoryId,
        occurredAt: item.occurredAt,
        session: item.session,
        role: m.role,
      });
    }
    for (const a of roots) {
      const row = together.get(a) ?? new Map<string, number>();
      for (const b of roots) if (a !== b) row.set(b, (row.get(b) ?? 0) + 1);
      together.set(a, row);
    }
  }
  for (const node of nodes.values()) {
    // The canonical name may have been set by a later mention: drop it from the aliases.
    node.aliases = node.aliases.filter((a) => a !== node.name);
    node.related = [...(together.get(node.key) ?? new Map<string, number>()).entries()]
      .map(([key, n]) => ({ key, name: nodes.get(key)!.name, type: nodes.get(key)!.type, together: n }))
      .sort((a, b) => b.together - a.together || a.name.localeCompare(b.name))
      .slice(0, 20);
  }
  return nodes;
}

/**
 * The entity a name refers to: its name or an alias, case-insensitive; a relation phrase ("my sister",
 * "Maya's sister") through its kin key. Null when nothing matches.
 */
export function findEntity(nodes: Map<string, EntityNode>, query: string): EntityNode | null {
  const q = query.trim().toLowerCase();
  if (q === '') return null;
  const rel = /^(?:my|our|(.+?)['’]s)\s+(.+)$/.exec(q) ?? /^(?:我的?|(.+?)的)(.+)$/u.exec(q);
  let best: EntityNode | null = null;
  for (const node of nodes.values()) {
    const names = [node.name, node.key, ...node.aliases].map((n) => n.toLowerCase());
    let hit = names.includes(q);
    if (!hit && rel) {
      const owner = rel[1]?.toLowerCase().replace(/\s+/g, '-');
      const relation = rel[2]!.replace(/\s+/g, '-');
      hit = names.some(
        (n) =>
          n.startsWith('kin:') && n.endsWith(`:${relation}`) && (!owner || n === `kin:${owner}:${relation}`),
      );
    }
    if (hit && (!best || node.mentions.length > best.mentions.length)) best = node;
  }
  return best;
}
