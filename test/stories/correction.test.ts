import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStory, type Story, texts } from './story.js';

// Search may rank the turn or the fact first (both state the schedule); the fact must be right behind.

describe('story: a correction ("actually it\'s Tuesday, not Monday")', () => {
  let story: Story;
  before(async () => {
    story = await openStory();
  });
  after(async () => {
    await story.close();
  });

  it('before: yoga on Monday', async () => {
    await story.session('s1', '2023-03-01T08:00:00Z', [
      ['Alice', 'My yoga class is on Mondays.'],
      ['Assistant', 'I will remind you on Mondays then.'],
    ]);
    const hits = await story.search("when is Alice's yoga class");
    assert.match(hits[0]?.text ?? '', /yoga class is on Monday/, texts(hits));
    assert.ok(
      hits.slice(0, 2).some((h) => h.text === "Alice's yoga class is on Monday."),
      texts(hits),
    );
  });

  it('after the correction: yoga on Tuesday; Monday only as history', async () => {
    await story.session('s1', '2023-03-01T08:05:00Z', [['Alice', "Actually it's Tuesday, not Monday."]]);
    const hits = await story.search("when is Alice's yoga class");
    assert.equal(hits[0]?.text, "Alice's yoga class is on Tuesday.", texts(hits));
    assert.ok(!hits.some((h) => h.text === "Alice's yoga class is on Monday."), texts(hits));
    assert.ok(!hits.some((h) => h.text === 'My yoga class is on Mondays.'), texts(hits));
    const history = await story.search("when is Alice's yoga class", { includeSuperseded: true });
    const monday = history.find((h) => h.text === "Alice's yoga class is on Monday.");
    assert.ok(monday && monday.memory.supersededBy === hits[0]?.id, texts(history));
    const ctx = await story.context('when is yoga');
    assert.equal(ctx.facts[0]?.text, "Alice's yoga class is on Tuesday.");
    assert.ok(!ctx.text.includes('yoga class is on Monday'), ctx.text);
  });
});
