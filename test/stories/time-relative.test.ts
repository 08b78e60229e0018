import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStory, type Story, texts } from './story.js';

describe('story: time-relative statements', () => {
  let story: Story;
  before(async () => {
    story = await openStory({ now: '2023-05-27T12:00:00Z' });
  });
  after(async () => {
    await story.close();
  });

  it('before: nothing is known about the concert', async () => {
    const hits = await story.search('when did Alice go to the concert');
    assert.deepEqual(hits, []);
  });

  it('"last Saturday" said on Thursday 2023-05-25 is stored as 20 May 2023', async () => {
    await story.session('s1', '2023-05-25T18:00:00Z', [
      ['Alice', 'I went to a Coldplay concert last Saturday.'],
      ['Alice', "And I'm flying to Rome next Friday!"],
    ]);
    const concert = await story.search('when did Alice go to the concert');
    const fact = concert.find((h) => h.kind === 'fact');
    assert.equal(fact?.text, 'Alice went to a Coldplay concert on 20 May 2023.', texts(concert));
    assert.equal(fact?.occurredAt, '2023-05-20T00:00:00.000Z');
    assert.equal(fact?.memory.validFrom, '2023-05-25T18:00:00.000Z');
    assert.equal(fact?.metadata.eventDate, '2023-05-20');

    const trip = await story.search('when is Alice flying to Rome');
    assert.ok(
      trip.some((h) => h.text === 'Alice is flying to Rome on 26 May 2023.'),
      texts(trip),
    );

    // Asked on Saturday 27 May: "last weekend" is 20–21 May, when the concert was.
    const ctx = await story.context('what did Alice do last weekend', { now: '2023-05-27T12:00:00Z' });
    assert.ok(
      ctx.facts.some((f) => f.text === 'Alice went to a Coldplay concert on 20 May 2023.'),
      ctx.text,
    );
    assert.ok(
      ctx.text.includes(
        '(2023-05-25 18:00, session s1; happened 2023-05-20) Alice: "I went to a Coldplay concert last Saturday."',
      ),
      ctx.text,
    );
  });
});
