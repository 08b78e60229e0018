import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { firstStating, openStory, type Story, texts } from './story.js';

describe('story: a preference reversed', () => {
  let story: Story;
  before(async () => {
    story = await openStory();
  });
  after(async () => {
    await story.close();
  });

  it('before: Alice loves sushi', async () => {
    await story.session('s1', '2023-02-01T19:00:00Z', [
      ['Alice', 'I love sushi, we should get some on Friday.'],
      ['Assistant', 'Sounds like a plan.'],
    ]);
    const hits = await story.search('does Alice like sushi');
    assert.match(firstStating(hits, /sushi/i)?.text ?? '', /love sushi/i, texts(hits));
    assert.ok(
      hits.some((h) => h.text === 'Alice loves sushi.'),
      texts(hits),
    );
    const ctx = await story.context('dinner ideas with sushi');
    assert.deepEqual(
      ctx.facts.map((f) => f.text),
      ['Alice loves sushi.'],
    );
  });

  it('after: Alice no longer likes sushi, and the old preference is history', async () => {
    await story.session('s2', '2023-06-10T19:00:00Z', [
      ['Alice', "Honestly I can't stand sushi anymore."],
      ['Assistant', 'Noted, no more sushi suggestions.'],
    ]);
    const hits = await story.search('does Alice like sushi');
    // What the results say about sushi first is the current preference; the old one is not among them.
    assert.equal(firstStating(hits, /sushi/i)?.text, 'Alice no longer likes sushi.', texts(hits));
    assert.ok(!hits.some((h) => /loves? sushi/i.test(h.text)), texts(hits));
    const history = await story.search('does Alice like sushi', { includeSuperseded: true });
    const loved = history.find((h) => h.text === 'Alice loves sushi.');
    assert.ok(loved && loved.memory.supersededBy === firstStating(hits, /sushi/i)?.id, texts(history));
    const ctx = await story.context('dinner ideas with sushi');
    assert.deepEqual(
      ctx.facts.map((f) => f.text),
      ['Alice no longer likes sushi.'],
    );
    assert.ok(!ctx.text.includes('Alice loves sushi'), ctx.text);
  });
});
