import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStory, type Story, texts } from './story.js';

describe('story: job change', () => {
  let story: Story;
  before(async () => {
    story = await openStory();
  });
  after(async () => {
    await story.close();
  });

  it('before: Alice is a developer at Initech', async () => {
    await story.session('s1', '2022-03-01T09:00:00Z', [
      ['Alice', 'I work at Initech as a developer.'],
      ['Assistant', 'What do you build there?'],
      ['Alice', 'Mostly billing software, nothing glamorous.'],
    ]);
    // The turn and the fact both say it; either may come first.
    const hits = await story.search('where does Alice work');
    assert.match(hits[0]?.text ?? '', /Initech/, texts(hits));
    assert.ok(
      hits.slice(0, 2).some((h) => h.text === 'Alice works at Initech.'),
      texts(hits),
    );
    const job = await story.search("what is Alice's job");
    assert.ok(
      job.some((h) => h.text === 'Alice works as a developer.'),
      texts(job),
    );
  });

  it('after: Globex and product manager are current, Initech and developer are history', async () => {
    await story.session('s2', '2023-04-02T09:00:00Z', [
      ['Alice', 'I just started a new job at Globex as a product manager.'],
      ['Assistant', 'Congratulations! How is the team?'],
    ]);
    const hits = await story.search('where does Alice work');
    assert.deepEqual(
      hits
        .slice(0, 2)
        .map((h) => h.text)
        .sort(),
      ['Alice works as a product manager.', 'Alice works at Globex (started recently).'],
      texts(hits),
    );
    assert.ok(
      hits.every((h) => !h.text.includes('Initech')),
      texts(hits),
    );
    const job = await story.search("what is Alice's job");
    assert.ok(
      job.some((h) => h.text === 'Alice works as a product manager.'),
      texts(job),
    );
    assert.ok(!job.some((h) => h.text === 'Alice works as a developer.'), texts(job));

    const history = await story.search('where did Alice work', { includeSuperseded: true });
    assert.ok(
      history.some((h) => h.text === 'Alice works at Initech.'),
      texts(history),
    );
    const then = await story.search('where does Alice work', { asOf: '2022-12-31T00:00:00Z' });
    assert.match(then[0]?.text ?? '', /Initech/, texts(then));
    assert.ok(
      then.every((h) => !h.text.includes('Globex')),
      texts(then),
    );

    const ctx = await story.context('where does Alice work and what does she do');
    assert.deepEqual(ctx.facts.map((f) => f.text).sort(), [
      'Alice works as a product manager.',
      'Alice works at Globex (started recently).',
    ]);
    // The turn that stated only outdated facts is gone from the prompt; the one about billing software stays.
    assert.ok(!ctx.text.includes('I work at Initech as a developer.'), ctx.text);
  });
});
