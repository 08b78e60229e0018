import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { open } from '../../src/index.js';
import { testDb } from '../helpers/backend.js';
import { tempDir } from '../helpers/cli.js';

const dir = tempDir('engram-event-index-');
after(() => rmSync(dir, { recursive: true, force: true }));

describe('event index in search', () => {
  it('finds a memory by its stored event time however long after the event it was said', async () => {
    const location = testDb(dir);
    let e = await open({ path: location, embedder: 'none' });
    // Said in September about April: five months from the range, outside any window of said times.
    const talk = (day: string, texts: string[]) =>
      e.addConversation({
        user: 'lena',
        session: day,
        messages: texts.map((text, i) => ({
          speaker: 'Lena',
          role: 'user' as const,
          text,
          at: `${day}T09:0${i}:00Z`,
        })),
      });
    await talk('2023-02-01', ['Our cat knocked a plant over again', 'My brother called about his new job']);
    await talk('2023-09-14', [
      'My neighbour fixed the garden fence',
      'Five months ago I ran my first marathon',
    ]);
    await e.close();
    const marathon = async (retrieval: Record<string, number>) => {
      e = await open({ path: location, embedder: 'none', retrieval });
      try {
        const hits = await e.search('What did Lena do in April 2023?', {
          user: 'lena',
          k: 4,
          now: '2023-09-30T00:00:00Z',
          explain: true,
        });
        return hits.find((h) => h.text === 'Five months ago I ran my first marathon');
      } finally {
        await e.close();
      }
    };
    // With the index (default) the event-time list brings it in; the said-time window alone cannot.
    const found = await marathon({});
    assert.ok(found, 'found');
    assert.deepEqual(
      found.eventTimes?.map((t) => [t.start, t.granularity]),
      [['2023-04-01', 'month']],
    );
    const withIndex = found.explain!.fused;
    const windowOnly = (await marathon({ eventIndexLimit: 0, eventWindowDays: 62 }))?.explain?.fused ?? 0;
    assert.ok(withIndex - windowOnly >= 0.29, `event-time list weight added: ${withIndex} vs ${windowOnly}`);
  });
});
