/**
 * Entities named by an LLM, turned into the recogniser's mentions and merged with the rules' own. The model
 * reads the same turns it extracts facts from (one request: src/memory/lifecycle/extract/llm.ts asks for
 * both), so it can find what capitalisation and cue words miss — a lower-case place, a film without quotes,
 * "my sister" named three turns later — while the rules keep what they are sure of (who spoke, "I" → the
 * speaker). Both paths stay: the union is stored, and `scripts/entity-eval.ts` measures each.
 */
import { kinKeyOf, recognizeEntities } from './recognize.js';
import type { EntityMention, EntityType } from './types.js';

export const ENTITY_TYPES: readonly EntityType[] = [
  'person',
  'place',
  'organization',
  'pet',
  'work',
  'activity',
];

/** One entity as the model names it, already validated. */
export interface LlmEntity {
  name: string;
  type: EntityType;
  /** A relation to the speaker ("sister", "dog") when the turn refers to the entity through them. */
  relation?: string | null;
}

function slug(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, '-');
}

function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

/** The mention an LLM entity stands for in a turn said by `speaker` (null: nobody the user knows). */
export function mentionFromLlm(e: LlmEntity, speaker: string | null): EntityMention | null {
  const name = e.name.trim();
  if (name === '') return null;
  const relation = e.relation?.trim().toLowerCase() || null;
  const lower = name.toLowerCase();
  const owner = speaker ?? 'user';
  if (speaker && lower === speaker.trim().toLowerCase()) {
    return { key: `person:${slug(speaker)}`, name: speaker, type: 'person', role: 'subject' };
  }
  // "my sister" with no name yet: the speaker's relation, the same key the rules give it.
  const unnamed =
    relation !== null && (lower === relation || lower === `my ${relation}` || lower === `我${relation}`);
  if (unnamed) {
    return {
      key: kinKeyOf(owner, relation),
      name: `${possessive(owner)} ${relation}`,
      type: e.type === 'pet' ? 'pet' : 'person',
      role: 'mentioned',
    };
  }
  const type = e.type;
  const key = type === 'activity' ? `activity:${lower}` : `${type}:${slug(name)}`;
  return {
    key,
    name: type === 'activity' ? lower : name,
    type,
    role: 'mentioned',
    ...(relation && (type === 'person' || type === 'pet') ? { alias: kinKeyOf(owner, relation) } : {}),
  };
}

const ROLE_RANK: Record<EntityMention['role'], number> = {
  speaker: 3,
  subject: 3,
  mentioned: 2,
  tentative: 1,
};

/**
 * The rules' mentions and the model's, one per key: the rules' role where they are surer (speaker,
 * subject), the model's where it confirms a tentative name, and an alias from whichever has one. Where the
 * model types a name the rules guessed differently ("Pretzel" a pet, not a person), the model's type wins:
 * the rules type names by the words around them, the model by reading the sentence.
 */
export function mergeMentions(rules: EntityMention[], llm: EntityMention[]): EntityMention[] {
  const retyped = new Set(llm.filter((m) => !m.key.startsWith('kin:')).map((m) => m.name.toLowerCase()));
  const out = new Map<string, EntityMention>();
  for (const m of rules) {
    const guessed = m.role === 'mentioned' || m.role === 'tentative';
    const overruled = guessed && retyped.has(m.name.toLowerCase()) && !llm.some((l) => l.key === m.key);
    if (!overruled) out.set(m.key, { ...m });
  }
  for (const m of llm) {
    const had = out.get(m.key);
    if (!had) {
      out.set(m.key, { ...m });
      continue;
    }
    if (ROLE_RANK[m.role] > ROLE_RANK[had.role]) had.role = m.role;
    if (m.alias && !had.alias) had.alias = m.alias;
  }
  return [...out.values()];
}

/** The mentions of a turn from the rules and, when the model named entities in it, from the model too. */
export function recognizeWithLlm(
  text: string,
  speaker: string | null,
  llm: readonly LlmEntity[] | undefined,
): EntityMention[] {
  const rules = recognizeEntities(text, { speaker });
  if (!llm || llm.length === 0) return rules;
  const fromLlm = llm.map((e) => mentionFromLlm(e, speaker)).filter((m): m is EntityMention => m !== null);
  return mergeMentions(rules, fromLlm);
}
