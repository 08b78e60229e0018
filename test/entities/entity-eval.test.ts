import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type GoldSentence, scoreEntities, typeOfKey } from '../../src/bench/entity-eval.js';
import { type LlmEntity, recognizeWithLlm } from '../../src/entities/llm-mentions.js';
import { recognizeEntities } from '../../src/entities/recognize.js';

const gold: GoldSentence[] = readFileSync(
  join(import.meta.dirname, '..', 'fixtures', 'entities-gold.jsonl'),
  'utf8',
)
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as GoldSentence);

const sure = (found: { key: string; role: string }[]) =>
  found.filter((m) => m.role !== 'tentative').map((m) => m.key);

/** What a model that knew the answer would name: each gold key as the model would write it. */
function perfectModel(g: GoldSentence): LlmEntity[] {
  return g.entities.map((key) => {
    const kin = /^kin:[^:]+:(.+)$/.exec(key);
    if (kin) return { name: `my ${kin[1]}`, type: 'person', relation: kin[1] };
    return { name: key.slice(key.indexOf(':') + 1).replaceAll('-', ' '), type: typeOfKey(key) };
  });
}

describe('entity recognition measured on made-up sentences', () => {
  it('scores keys: precision, recall and F1, overall and by type', () => {
    const s = scoreEntities(
      [{ speaker: 'A', text: '', entities: ['person:a', 'place:rome', 'pet:rex'] }],
      [['person:a', 'place:rome', 'place:milan']],
    );
    assert.deepEqual([s.all.precision, s.all.recall, s.all.hits], [2 / 3, 2 / 3, 2]);
    assert.deepEqual([s.byType.place?.precision, s.byType.place?.recall], [0.5, 1]);
    assert.equal(s.byType.pet?.recall, 0);
  });

  it('the rules hold their measured level on the labelled set (docs/retrieval.md)', () => {
    const s = scoreEntities(
      gold,
      gold.map((g) => sure(recognizeEntities(g.text, { speaker: g.speaker }))),
    );
    // Measured 0.829 / 0.741 when the set was written; a drop is a regression in src/entities/recognize.ts.
    assert.ok(s.all.precision >= 0.8, `precision ${s.all.precision}`);
    assert.ok(s.all.recall >= 0.72, `recall ${s.all.recall}`);
  });

  it('a model that names every entity makes the stored union complete, and corrects the rules’ types', () => {
    const s = scoreEntities(
      gold,
      gold.map((g) => sure(recognizeWithLlm(g.text, g.speaker, perfectModel(g)))),
    );
    assert.equal(s.all.recall, 1);
    // The model never adds a wrong key, and where it types a name the rules typed otherwise ("Pretzel" the
    // dog, "Globex" the company), the rules' guess goes: fewer wrong keys than the rules alone.
    const rules = scoreEntities(
      gold,
      gold.map((g) => sure(recognizeEntities(g.text, { speaker: g.speaker }))),
    );
    assert.ok(s.all.found - s.all.hits < rules.all.found - rules.all.hits);
    const dog = gold.findIndex((g) => g.text.includes('Pretzel'));
    assert.deepEqual(
      sure(recognizeWithLlm(gold[dog]!.text, gold[dog]!.speaker, perfectModel(gold[dog]!))).sort(),
      ['person:lena', 'pet:pretzel'],
    );
  });
});
