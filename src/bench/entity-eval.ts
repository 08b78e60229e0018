/**
 * How well entities are recognised, against a hand-labelled set of sentences (each with its speaker and the
 * entity keys it mentions): precision, recall and F1 over keys, overall and by type. Used by
 * scripts/entity-eval.ts to compare the rules, the LLM path and their union (src/entities/llm-mentions.ts).
 */
import type { EntityType } from '../entities/types.js';

export interface GoldSentence {
  speaker: string;
  text: string;
  /** Keys as the recogniser writes them: person:ana, place:porto, kin:dev:sister … */
  entities: string[];
}

export interface EntityScore {
  precision: number;
  recall: number;
  f1: number;
  /** Gold keys, found keys, and keys both have. */
  gold: number;
  found: number;
  hits: number;
}

/** The type a key stands for (a relation to the speaker is a person or a pet, counted as a person). */
export function typeOfKey(key: string): EntityType {
  const prefix = key.slice(0, key.indexOf(':'));
  return (prefix === 'kin' ? 'person' : prefix) as EntityType;
}

function score(gold: number, found: number, hits: number): EntityScore {
  const precision = found === 0 ? 1 : hits / found;
  const recall = gold === 0 ? 1 : hits / gold;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, gold, found, hits };
}

/** Scores `predicted[i]` (keys found in sentence i) against the gold set; `byType` by the key's type. */
export function scoreEntities(
  gold: readonly GoldSentence[],
  predicted: readonly (readonly string[])[],
): { all: EntityScore; byType: Partial<Record<EntityType, EntityScore>> } {
  const counts = new Map<string, { gold: number; found: number; hits: number }>();
  const bump = (type: string, field: 'gold' | 'found' | 'hits') => {
    for (const t of [type, '*']) {
      const c = counts.get(t) ?? { gold: 0, found: 0, hits: 0 };
      c[field] += 1;
      counts.set(t, c);
    }
  };
  gold.forEach((g, i) => {
    const want = new Set(g.entities);
    const got = new Set(predicted[i] ?? []);
    for (const k of want) bump(typeOfKey(k), 'gold');
    for (const k of got) {
      bump(typeOfKey(k), 'found');
      if (want.has(k)) bump(typeOfKey(k), 'hits');
    }
  });
  const byType: Partial<Record<EntityType, EntityScore>> = {};
  for (const [t, c] of counts) if (t !== '*') byType[t as EntityType] = score(c.gold, c.found, c.hits);
  const all = counts.get('*') ?? { gold: 0, found: 0, hits: 0 };
  return { all: score(all.gold, all.found, all.hits), byType };
}
