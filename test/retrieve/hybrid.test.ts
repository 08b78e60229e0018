import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Memory } from '../../src/core/types.js';
import { DEFAULT_RETRIEVAL, type RetrievalConfig, retrieveCandidates } from '../../src/retrieve/hybrid.js';
import { searchMemories } from '../../src/retrieve/pipeline.js';
import { mergeRanges, planQuery } from '../../src/retrieve/query-plan.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { analyze, analyzeQuery } from '../../src/text/analyzer.js';
import { fakeEmbedder } from '../helpers/fake-embedder.js';
import { makeMemory } from '../helpers/memory-factory.js';
import { insert, testIndexer } from '../helpers/store-ops.js';

const NOW = new Date('2023-07-01T12:00:00Z');

describe('planQuery', () => {
  it('reads time ranges, "when" and names from the query', () => {
    const plan = planQuery('When did Caroline go camping last week?', NOW);
    assert.equal(plan.asksWhen, true);
    assert.deepEqual([...plan.names], ['caroline']);
    assert.equal(plan.ranges.length, 1);
    assert.equal(new Date(plan.ranges[0]!.start).toISOString(), '2023-06-19T00:00:00.000Z');
    assert.equal(new Date(plan.ranges[0]!.end).toISOString(), '2023-06-26T00:00:00.000Z');
  });

  it('keeps vague expressions apart: they never restrict candidates', () => {
    const plan = planQuery('What did Caroline paint recently, and on 16 June 2023?', NOW);
    assert.deepEqual(
      plan.ranges.map((r) => r.text),
      ['on 16 June 2023'],
    );
    assert.deepEqual(
      plan.vagueRanges.map((r) => r.text),
      ['recently'],
    );
    assert.deepEqual(planQuery('我最近在忙什么', NOW).vagueRanges.length, 1);
  });

  it('has no ranges and no "when" for a plain question', () => {
    const plan = planQuery('what pet does she have', NOW);
    assert.deepEqual(plan.ranges, []);
    assert.deepEqual(plan.vagueRanges, []);
    assert.equal(plan.asksWhen, false);
    assert.equal(plan.names.size, 0);
  });

  it('merges overlapping and touching ranges', () => {
    assert.deepEqual(
      mergeRanges([
        { text: 'b', start: 5, end: 8 },
        { text: 'a', start: 1, end: 5 },
        { text: 'c', start: 10, end: 12 },
        { text: 'd', start: 11, end: 20 },
      ]),
      [
        { text: 'a; b', start: 1, end: 8 },
        { text: 'c; d', start: 10, end: 20 },
      ],
    );
  });
});

describe('retrieveCandidates and searchMemories', () => {
  let store: SqliteStore;
  // The time-range list weighs as much as the global one here, so that the test can ask for it on top.
  const config: RetrievalConfig = { ...DEFAULT_RETRIEVAL, candidates: 3, pool: 10, timeRangeListWeight: 1 };
  const deps = () => ({ store, embedder: null, analyzeQuery, analyze, config, words: null, reranker: null });
  let target: Memory;

  before(async () => {
    store = SqliteStore.open(':memory:', { indexer: testIndexer('test-1') });
    // Five memories that match "pottery" better than the one said on 16 June, which only mentions it once
    // in a long turn: a global top 3 never reaches it.
    const strong = Array.from({ length: 5 }, (_, i) =>
      makeMemory({
        user: 'u',
        session: `s${i}`,
        text: 'pottery pottery class',
        occurredAt: `2023-0${i + 1}-03T10:00:00.000Z`,
      }),
    );
    target = makeMemory({
      user: 'u',
      session: 'june',
      text: 'I went to a friend, we had dinner, talked for hours about work, family and life, and then I tried pottery',
      occurredAt: '2023-06-16T18:00:00.000Z',
    });
    const filler = 'walk park rain coffee garden beach movie dinner guitar chess'.split(' ').map((word) =>
      makeMemory({
        user: 'u',
        session: 'other',
        text: `a ${word} with a friend`,
        occurredAt: '2023-06-20T09:00:00.000Z',
      }),
    );
    await insert(store, [...strong, target, ...filler], new Map(), { action: 'add', actor: 'test' });
  });

  after(async () => {
    await store.close();
  });

  it('without the query plan, the global lists miss the turn of the named day', async () => {
    const fused = await retrieveCandidates(deps(), {
      query: 'What did Maria do on 16 June, 2023? pottery',
      filter: { tenant: 't1', user: 'u' },
      k: 3,
      mode: 'bm25',
    });
    assert.equal(fused.length, 3);
    assert.ok(!fused.some((c) => c.id === target.id));
  });

  it('the time-range list brings it in, and it gets the time-range bonus', async () => {
    const query = 'What did Maria do on 16 June, 2023? pottery';
    const fused = await retrieveCandidates(deps(), {
      query,
      filter: { tenant: 't1', user: 'u' },
      k: 3,
      mode: 'bm25',
      plan: planQuery(query, NOW),
    });
    const hit = fused.find((c) => c.id === target.id);
    assert.ok(hit);
    assert.deepEqual(Object.keys(hit.signals), ['bm25InTimeRange']);
    const hits = await searchMemories(deps(), {
      query,
      filter: { tenant: 't1', user: 'u' },
      k: 3,
      mode: 'bm25',
      now: NOW,
    });
    assert.equal(hits[0]!.memory.id, target.id);
    assert.equal(hits[0]!.signals.timeRange, config.signals.timeRangeBonus);
    assert.ok(hits.slice(1).every((h) => h.signals.timeRange === undefined));
  });

  it('time-range list off: the same search does not find it', async () => {
    const hits = await searchMemories(
      { ...deps(), config: { ...config, timeRangeListWeight: 0 } },
      {
        query: 'What did Maria do on 16 June, 2023? pottery',
        filter: { tenant: 't1', user: 'u' },
        k: 3,
        mode: 'bm25',
        now: NOW,
      },
    );
    assert.ok(!hits.some((h) => h.memory.id === target.id));
  });

  it('fuses BM25 and vectors, and returns at most k', async () => {
    const embedder = fakeEmbedder();
    const s = SqliteStore.open(':memory:', { indexer: testIndexer('test-1') });
    const dog = makeMemory({ user: 'u', text: 'my puppy loves the park' });
    const car = makeMemory({ user: 'u', text: 'I drive an old car' });
    const [dv, cv] = await embedder.embed([dog.text, car.text]);
    await insert(
      s,
      [dog, car],
      new Map([
        [dog.id, { model: embedder.id, vector: dv! }],
        [car.id, { model: embedder.id, vector: cv! }],
      ]),
      { action: 'add', actor: 'test' },
    );
    const hits = await searchMemories(
      { ...deps(), store: s, embedder },
      { query: 'dog', filter: { tenant: 't1', user: 'u' }, k: 1, mode: 'hybrid', now: NOW },
    );
    // "dog" is no word of either text: only the vector side ("puppy" ~ "dog") can find it.
    assert.deepEqual(
      hits.map((h) => h.memory.id),
      [dog.id],
    );
    assert.deepEqual(Object.keys(hits[0]!.signals).includes('vector'), true);
    await s.close();
  });
});
