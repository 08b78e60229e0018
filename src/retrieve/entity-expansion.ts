/**
 * "What do you know about my sister?" — the memories about her may name her ("Ana started a new job") and
 * never say "sister". When a query refers to someone through a relation ("my sister", "Tom's dog", 我妹妹),
 * the memories that say the relation are looked up (a small full-text search), the names given with it
 * there ("my sister Ana", "Ana is my sister") are read by the entity recogniser, and the best-attested name
 * joins the query, like a typo correction does.
 */
import type { Memory } from '../core/types.js';
import { kinKeyOf, kinReferences, recognizeEntities } from '../entities/recognize.js';
import type { ScopeFilter, Store } from '../store/types.js';

/** Memories read per relation: the ones that say it best. */
const LOOKUP = 30;
/** Names added per relation: a relation usually names one person; two allow for a second sister. */
const MAX_NAMES = 2;

export interface ExpansionDeps {
  store: Store;
  analyzeQuery: (text: string) => string[];
}

/** The relation words of a query ("sister" of "my sister"). */
export function relationWords(query: string): string[] {
  return [...new Set(kinReferences(query).map((r) => r.relation))];
}

/**
 * Lifts memories that speak of the entity itself, in their own words (not only in their neighbours'):
 * a name the relation is known by, or the relation word. Re-sorts.
 */
export function boostEntityMentions<
  T extends { score: number; memory: { text: string }; signals: Record<string, unknown> },
>(ranked: T[], words: readonly string[], bonus: number): T[] {
  if (bonus <= 0 || words.length === 0) return ranked;
  const pattern = new RegExp(`(?:^|[^\\p{L}])(?:${words.map(escapeRegExp).join('|')})(?![\\p{L}])`, 'iu');
  for (const s of ranked) {
    if (pattern.test(s.memory.text)) {
      s.score += bonus;
      s.signals.entity = bonus;
    }
  }
  return ranked.sort((a, b) => b.score - a.score);
}

function escapeRegExp(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Names the query's relations are known by in the scope, best attested first. */
export async function relationNames(
  deps: ExpansionDeps,
  query: string,
  filter: ScopeFilter,
): Promise<string[]> {
  const refs = kinReferences(query);
  if (refs.length === 0) return [];
  const names: string[] = [];
  for (const ref of refs) {
    const terms = deps.analyzeQuery(ref.relation);
    if (terms.length === 0) continue;
    const { kinds: _kinds, ...scope } = filter;
    const { lists } = await deps.store.search({
      text: [{ name: 'relation', filter: scope, terms, contextWeight: 0, limit: LOOKUP }],
      vector: [],
    });
    const hits = lists.relation ?? [];
    const memories = await deps.store.getMany(
      filter.tenant,
      hits.map((h) => h.id),
    );
    const counts = new Map<string, number>();
    for (const m of memories)
      for (const name of namesFor(m, ref.owner, ref.relation)) counts.set(name, (counts.get(name) ?? 0) + 1);
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_NAMES);
    for (const [name] of best) if (!names.includes(name) && !query.includes(name)) names.push(name);
  }
  return names;
}

function namesFor(m: Memory, owner: string | null, relation: string): string[] {
  const speaker = m.speaker ?? m.role ?? 'user';
  // "my sister" in a question is the asker's; in a store of one user's conversations, any speaker's own
  // relation is a candidate unless the query names the owner ("Tom's sister").
  if (owner !== null && speaker.toLowerCase().split(/\s+/)[0] !== owner.toLowerCase()) return [];
  const key = kinKeyOf(speaker, relation);
  return recognizeEntities(m.text, { speaker })
    .filter((e) => e.alias === key)
    .map((e) => e.name);
}
