import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mentionFromLlm, mergeMentions, recognizeWithLlm } from '../../src/entities/llm-mentions.js';
import { recognizeEntities } from '../../src/entities/recognize.js';

describe('entities named by an LLM, merged with the rules', () => {
  it('keys them like the rules: a named relative links to the speaker’s relation', () => {
    assert.deepEqual(mentionFromLlm({ name: 'Priyanka', type: 'person', relation: 'cousin' }, 'Dev'), {
      key: 'person:priyanka',
      name: 'Priyanka',
      type: 'person',
      role: 'mentioned',
      alias: 'kin:dev:cousin',
    });
    // Unnamed, "my cousin" is the speaker's relation itself.
    assert.deepEqual(mentionFromLlm({ name: 'my cousin', type: 'person', relation: 'cousin' }, 'Dev'), {
      key: 'kin:dev:cousin',
      name: "Dev's cousin",
      type: 'person',
      role: 'mentioned',
    });
    // The speaker named by the model is the subject; activities are keyed in lower case.
    assert.equal(mentionFromLlm({ name: 'dev', type: 'person' }, 'Dev')?.role, 'subject');
    assert.equal(mentionFromLlm({ name: 'Bouldering', type: 'activity' }, 'Dev')?.key, 'activity:bouldering');
    assert.equal(mentionFromLlm({ name: '  ', type: 'place' }, 'Dev'), null);
  });

  it('adds what the rules miss and keeps what they are sure of', () => {
    const text = 'we watched spirited away at the kino in leipzig with my cousin Priyanka';
    const rules = recognizeEntities(text, { speaker: 'Dev' });
    // Lower-case titles and places have no capital letter for the rules to go by.
    assert.ok(!rules.some((m) => m.key === 'work:spirited-away' || m.key === 'place:leipzig'));
    const merged = recognizeWithLlm(text, 'Dev', [
      { name: 'Spirited Away', type: 'work' },
      { name: 'Leipzig', type: 'place' },
      { name: 'Priyanka', type: 'person', relation: 'cousin' },
    ]);
    const byKey = new Map(merged.map((m) => [m.key, m]));
    assert.equal(byKey.get('work:spirited-away')?.name, 'Spirited Away');
    assert.equal(byKey.get('place:leipzig')?.type, 'place');
    assert.equal(byKey.get('person:priyanka')?.alias, 'kin:dev:cousin');
    // The speaker stays as the rules had her: one entry per key.
    assert.equal(merged.filter((m) => m.key === 'person:dev').length, 1);
    assert.equal(new Set(merged.map((m) => m.key)).size, merged.length);
  });

  it('confirms a tentative name, never demotes a speaker, and fills a missing alias', () => {
    const merged = mergeMentions(
      [
        { key: 'person:oskar', name: 'Oskar', type: 'person', role: 'tentative' },
        { key: 'person:lena', name: 'Lena', type: 'person', role: 'speaker' },
      ],
      [
        { key: 'person:oskar', name: 'Oskar', type: 'person', role: 'mentioned', alias: 'kin:lena:brother' },
        { key: 'person:lena', name: 'Lena', type: 'person', role: 'mentioned' },
      ],
    );
    assert.deepEqual(
      merged.map((m) => [m.key, m.role, m.alias ?? null]),
      [
        ['person:oskar', 'mentioned', 'kin:lena:brother'],
        ['person:lena', 'speaker', null],
      ],
    );
  });

  it('without entities from a model, the mentions are the rules’ own', () => {
    const text = 'My brother Tomas moved to Porto.';
    assert.deepEqual(recognizeWithLlm(text, 'Ines', []), recognizeEntities(text, { speaker: 'Ines' }));
  });
});
