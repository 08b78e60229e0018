import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { open } from '../../src/memory/open.js';
import type { Engram } from '../../src/memory/types.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/cli.js';
import { countingStore } from '../helpers/counting-store.js';
import { fakeEmbedder } from '../helpers/fake-embedder.js';
import { testIndexer } from '../helpers/store-ops.js';

/**
 * A search costs a fixed number of store calls whatever the query (docs/architecture.md, "Store"): on
 * PostgreSQL each is a network round trip, so this number is part of the latency budget.
 */
describe('store calls per operation', () => {
  let e: Engram;
  let calls: string[];
  before(async () => {
    const counted = countingStore(
      SqliteStore.open(join(tempDir('engram-calls-'), 'c.db'), { indexer: testIndexer() }),
    );
    calls = counted.calls;
    e = await open({
      store: counted.store,
      embedder: fakeEmbedder(),
      now: () => new Date('2023-06-10T12:00:00Z'),
    });
    await e.addConversation({
      user: 'u',
      session: 's1',
      messages: [
        { speaker: 'Ann', text: 'I live in Lisbon and I love sailing.', at: '2023-06-03T10:00:00Z' },
        {
          speaker: 'Bo',
          text: 'Last weekend we hiked up the volcano near the coast.',
          at: '2023-06-03T10:01:00Z',
        },
        { speaker: 'Ann', text: 'My sister Carla is a marine biologist.', at: '2023-06-03T10:02:00Z' },
      ],
    });
  });
  after(async () => {
    await e.close();
  });

  for (const [name, query] of [
    ['plain words', 'sailing volcano'],
    ['a named time range', 'what did Bo do last weekend?'],
    ['two time ranges', 'did Ann sail in May 2023 or in June 2023?'],
  ] as const) {
    it(`search (${name}): search + getMany + recordAccess, or 2 without reinforcement`, async () => {
      calls.length = 0;
      const hits = await e.search(query, { user: 'u', k: 5 });
      assert.deepEqual(
        calls,
        hits.length > 0 ? ['search', 'getMany', 'recordAccess'] : ['search', 'getMany'],
      );
      calls.length = 0;
      await e.search(query, { user: 'u', k: 5, reinforce: false });
      assert.deepEqual(calls, ['search', 'getMany']);
    });
  }

  it('a search without candidates stops after the one search call', async () => {
    calls.length = 0;
    assert.deepEqual(await e.search('xylophone', { user: 'nobody', k: 5 }), []);
    assert.deepEqual(calls, ['search']);
  });

  it('addConversation and maintain each write with exactly one apply, after their reads', async () => {
    calls.length = 0;
    await e.addConversation({
      user: 'u',
      session: 's2',
      messages: [
        { speaker: 'Ann', text: 'I moved to Porto last month.', at: '2023-06-09T10:00:00Z' },
        { speaker: 'Bo', text: 'Porto is lovely in summer.', at: '2023-06-09T10:01:00Z' },
      ],
    });
    assert.equal(calls.filter((c) => c === 'apply').length, 1);
    assert.equal(calls[calls.length - 1], 'apply');
    calls.length = 0;
    await e.maintain({ useLlm: false, minSessionTurns: 2 });
    assert.equal(calls.filter((c) => c === 'apply').length, 1, calls.join(','));
    assert.notEqual(calls[0], 'apply');
  });
});
