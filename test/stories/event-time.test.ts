import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStory, type Story, texts } from './story.js';

/*
 * Told on Thursday 2023-09-14, asked about on 2023-09-30: the swim happened on Sunday the 10th, four days
 * before Priya spoke of it. Search must match the time it happened, not only the time it was said.
 */
describe('story: what happened on a day, told days later', () => {
  let story: Story;
  before(async () => {
    story = await openStory({ now: '2023-09-30T12:00:00Z' });
    await story.session('s1', '2023-09-06T18:00:00Z', [
      ['Priya', 'I started a new job at the library this week.'],
      ['Priya', 'My manager seems really kind.'],
    ]);
    await story.session('s2', '2023-09-14T19:00:00Z', [
      ['Priya', 'Last Sunday I swam across the lake for charity.'],
      ['Priya', 'Tomorrow I am baking bread with my neighbour.'],
    ]);
    await story.session('s3', '2023-09-22T20:00:00Z', [
      ['Priya', 'I did some gardening and watched a film.'],
      ['Priya', 'Work was busy, we catalogued old maps all week.'],
    ]);
  });
  after(async () => {
    await story.close();
  });

  it('"what did Priya do on 10 September 2023?" finds the charity swim first, with its event date', async () => {
    const hits = await story.search('what did Priya do on 10 September 2023?', {
      now: '2023-09-30T12:00:00Z',
    });
    const top = hits[0];
    assert.match(top?.text ?? '', /swam across the lake/, texts(hits));
    assert.deepEqual(top?.eventTimes, [
      { text: 'Last Sunday', start: '2023-09-10', end: '2023-09-11', granularity: 'day' },
    ]);
    assert.equal(top?.occurredAt.slice(0, 10), '2023-09-14');
  });

  it('the same question in Chinese: 9月10号Priya做了什么？', async () => {
    const hits = await story.search('9月10号Priya做了什么？', { now: '2023-09-30T12:00:00Z' });
    assert.match(hits[0]?.text ?? '', /swam across the lake/, texts(hits));
  });

  it('get shows the event time; buildContext says when it happened', async () => {
    const hits = await story.search('charity swim', { now: '2023-09-30T12:00:00Z' });
    const swim = hits.find((h) => /swam/.test(h.text))!;
    const got = await story.db.get(swim.id);
    assert.deepEqual(
      got.eventTimes?.map((e) => e.start),
      ['2023-09-10'],
    );
    const ctx = await story.context('what did Priya do on 10 September 2023?', {
      now: '2023-09-30T12:00:00Z',
    });
    assert.match(ctx.text, /happened 2023-09-10\) Priya: "Last Sunday I swam across the lake for charity\."/);
  });

  it('as-of: relative words in the query mean the as-of time ("yesterday" as of 15 September)', async () => {
    const hits = await story.search('what was baked yesterday?', { asOf: '2023-09-16T09:00:00Z' });
    assert.match(hits[0]?.text ?? '', /baking bread/, texts(hits));
    assert.deepEqual(
      hits[0]?.eventTimes.map((e) => e.start),
      ['2023-09-15'],
    );
    // Nothing said after the as-of time is visible.
    assert.ok(
      hits.every((h) => h.occurredAt < '2023-09-16T09:00:00Z'),
      texts(hits),
    );
  });
});
