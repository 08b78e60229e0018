import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStory, type Story, texts } from './story.js';

describe('story: the same fact restated in other words', () => {
  let story: Story;
  before(async () => {
    story = await openStory();
  });
  after(async () => {
    await story.close();
  });

  it('first statement: one fact', async () => {
    await story.session('s1', '2023-01-05T10:00:00Z', [['Alice', "I'm allergic to penicillin."]]);
    const facts = (await story.search('what is Alice allergic to')).filter((h) => h.kind === 'fact');
    assert.deepEqual(
      facts.map((h) => h.text),
      ['Alice is allergic to penicillin.'],
    );
    assert.equal(facts[0]?.memory.accessCount, 0);
  });

  it('said again differently: the same fact, reinforced, not copied', async () => {
    await story.session('s2', '2023-04-05T10:00:00Z', [
      ['Alice', 'Just so you know, I am severely allergic to penicillin.'],
    ]);
    await story.session('s3', '2023-06-05T10:00:00Z', [
      ['Alice', 'Penicillin? No way, I am allergic to it... I mean, I am allergic to penicillin!'],
    ]);
    const facts = (await story.search('what is Alice allergic to')).filter((h) => h.kind === 'fact');
    assert.equal(facts.length, 1, texts(facts));
    const fact = facts[0]!.memory;
    assert.equal(fact.text, 'Alice is allergic to penicillin.');
    assert.equal(fact.accessCount, 2);
    assert.equal((fact.metadata.sourceIds as string[]).length, 3);
    assert.equal(fact.lastAccessedAt, '2023-06-05T10:00:00.000Z');
    assert.deepEqual(
      (await story.db.history(fact.id)).map((h) => h.action),
      ['add', 'reinforce', 'reinforce'],
    );
    const ctx = await story.context('what is Alice allergic to');
    assert.equal(ctx.facts.filter((f) => f.text === 'Alice is allergic to penicillin.').length, 1);
    assert.equal(ctx.text.split('Alice is allergic to penicillin.').length - 1, 1, ctx.text);
  });
});
