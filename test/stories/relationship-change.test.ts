import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStory, type Story, texts } from './story.js';

describe('story: a relationship changes', () => {
  let story: Story;
  before(async () => {
    story = await openStory();
  });
  after(async () => {
    await story.close();
  });

  const partner = async () => (await story.search("who is Alice's partner")).filter((h) => h.kind === 'fact');

  it('dating Tom', async () => {
    await story.session('s1', '2022-09-01T20:00:00Z', [['Alice', "I'm dating Tom now, he's a chef."]]);
    const hits = await partner();
    assert.equal(hits[0]?.text, "Alice's partner is Tom.", texts(hits));
  });

  it('broke up with Tom: single, no partner', async () => {
    await story.session('s2', '2023-01-15T20:00:00Z', [['Alice', 'I broke up with Tom last week.']]);
    const status = await story.search('is Alice single or in a relationship');
    assert.equal(
      status.find((h) => h.kind === 'fact')?.text,
      'Alice is single (broke up with Tom in the week of 2 January 2023).',
      texts(status),
    );
    assert.ok(!status.some((h) => h.text === 'Alice is in a relationship with Tom.'), texts(status));
    const hits = await partner();
    assert.ok(!hits.some((h) => h.text === "Alice's partner is Tom."), texts(hits));
  });

  it('engaged to Sam: the current partner is Sam, Tom is history', async () => {
    await story.session('s3', '2023-06-20T20:00:00Z', [['Alice', "Guess what, I'm engaged to Sam!"]]);
    const hits = await partner();
    assert.equal(hits[0]?.text, "Alice's partner is Sam.", texts(hits));
    const history = await story.search("who was Alice's partner", { includeSuperseded: true });
    assert.ok(
      history.some((h) => h.text === "Alice's partner is Tom."),
      texts(history),
    );
    const ctx = await story.context("Alice's partner and relationship");
    const facts = ctx.facts.map((f) => f.text);
    assert.ok(facts.includes("Alice's partner is Sam."), facts.join(' | '));
    assert.ok(facts.includes('Alice is engaged.'), facts.join(' | '));
    assert.ok(!facts.some((f) => f.includes('Tom')), facts.join(' | '));
  });
});
