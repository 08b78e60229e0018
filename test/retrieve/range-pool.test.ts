import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { open } from '../../src/index.js';

describe('time-range members beyond the pool', () => {
  it('re-scores a memory said inside the named range even when fusion ranks it below the pool', async () => {
    const talk = async (e: Awaited<ReturnType<typeof open>>, day: string, texts: string[]) =>
      e.addConversation({
        user: 'ana',
        session: day,
        messages: texts.map((text, i) => ({
          speaker: 'Ana',
          role: 'user' as const,
          text,
          at: `${day}T10:0${i}:00Z`,
        })),
      });
    const search = async (retrieval: Record<string, number>) => {
      const e = await open({ path: ':memory:', embedder: 'none', retrieval: { pool: 3, ...retrieval } });
      try {
        // Many turns about travelling said in other months, and one said in July that never says "travel".
        await talk(e, '2023-03-04', ['I love to travel by train', 'Travel guides are my favourite reads']);
        await talk(e, '2023-05-12', [
          'Travel insurance is so expensive now',
          'My sister wants to travel more',
        ]);
        await talk(e, '2023-09-20', ['Next year I want to travel to the coast', 'Travel light, always']);
        await talk(e, '2023-07-15', ['Back home! I spent a week in a little hill village, Ana out']);
        const hits = await e.search('Where did Ana travel in July 2023?', {
          user: 'ana',
          k: 3,
          now: '2023-10-01T00:00:00Z',
          explain: true,
        });
        return new Map(hits.map((h) => [h.text, h.explain]));
      } finally {
        await e.close();
      }
    };
    const village = 'Back home! I spent a week in a little hill village, Ana out';
    // Without the extra members the July turn is cut with the pool before its time-range bonus is counted.
    assert.equal((await search({ rangePool: 0 })).has(village), false);
    const found = (await search({})).get(village);
    assert.ok(found, 'the July turn is among the hits');
    assert.equal(found.timeRange, 0.5);
    assert.equal((found.bm25InTimeRange as { rank: number }).rank, 1);
  });
});
