import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { Memory } from '../../src/core/types.js';
import { DEFAULT_RETRIEVAL } from '../../src/retrieve/hybrid.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { CommonTermsPlan } from '../../src/store/types.js';
import { analyze } from '../../src/text/analyzer.js';
import { makeMemory } from '../helpers/memory-factory.js';
import { insert, searchText, testIndexer } from '../helpers/store-ops.js';

/**
 * In a large scope, words found in many memories are searched more cheaply: a word in half of the table or
 * more is left out when other words remain, a word in a fifth or more is matched in the memory's own text
 * only (retrieval's CommonTermsPlan, executed by the store). `fromScopeRows: 1` makes these small files take
 * the path a 100k-memory scope takes.
 */
const SCOPE = { tenant: 't1', user: 'u1' };
const DEFAULT_PLAN = DEFAULT_RETRIEVAL.commonTerms!;
let store: SqliteStore | undefined;
/** The plan each store is searched with. */
const plans = new WeakMap<SqliteStore, CommonTermsPlan>();

afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function storeWith(texts: Memory[], commonTermsFrom?: number): Promise<SqliteStore> {
  const path = join(mkdtempSync(join(tmpdir(), 'engram-common-')), 'c.db');
  const s = SqliteStore.open(path, { indexer: testIndexer('test-1') });
  plans.set(s, { ...DEFAULT_PLAN, fromScopeRows: commonTermsFrom ?? DEFAULT_PLAN.fromScopeRows });
  await insert(s, texts, new Map(), { action: 'add', actor: 'test' });
  return s;
}

const note = (text: string) => makeMemory({ user: 'u1', kind: 'note', session: null, text });
const turn = (text: string) => makeMemory({ user: 'u1', kind: 'turn', session: 's1', text });

async function textsOf(s: SqliteStore, query: string, limit = 50): Promise<string[]> {
  const hits = await searchText(s, SCOPE, analyze(query), limit, {
    contextWeight: 0.75,
    commonTerms: plans.get(s)!,
  });
  const rows = await s.getMany(
    SCOPE.tenant,
    hits.map((h) => h.id),
  );
  const byId = new Map(rows.map((m) => [m.id, m.text]));
  return hits.map((h) => byId.get(h.id)!).sort();
}

describe('SqliteStore text search with common words in a large scope', () => {
  // 12 of 20 notes hold "zebra" (60 %), 2 hold "kiwi" (10 %).
  const zoo = () => [
    ...Array.from({ length: 10 }, (_, i) => note(`zebra stripes number ${i}`)),
    note('zebra and kiwi'),
    note('zebra kiwi zebra'),
    ...Array.from({ length: 8 }, (_, i) => note(`plain filler ${i}`)),
  ];

  it('leaves out a word found in at least half of the table when other words remain', async () => {
    store = await storeWith(zoo(), 1);
    assert.deepEqual(await textsOf(store, 'zebra kiwi'), ['zebra and kiwi', 'zebra kiwi zebra']);
    // Alone, the word is searched: leaving it out would leave nothing to search.
    assert.equal((await textsOf(store, 'zebra')).length, 12);
  });

  it('gives the memories it keeps the scores of the full query (the left-out word adds ~0)', async () => {
    // Notes are never re-indexed, so FTS5's statistics are exact here and the left-out word's idf is at 0.
    store = await storeWith(zoo(), 1);
    const fast = await searchText(store, SCOPE, analyze('zebra kiwi'), 50, {
      contextWeight: 0.75,
      commonTerms: plans.get(store)!,
    });
    const plain = await storeWith(
      zoo().map((m) => ({ ...m })),
      Number.POSITIVE_INFINITY,
    );
    try {
      const exact = await searchText(plain, SCOPE, analyze('zebra kiwi'), 50, { contextWeight: 0.75 });
      assert.equal(exact.length, 12);
      const exactScores = exact.slice(0, 2).map((h) => h.score);
      assert.equal(fast.length, 2);
      fast.forEach((h, i) => {
        assert.ok(Math.abs(h.score - exactScores[i]!) < 1e-4, `${h.score} vs ${exactScores[i]}`);
      });
    } finally {
      await plain.close();
    }
  });

  // 21 rows; "mango" is in two notes and one turn's own text, and in the context of its two neighbours: 5 of 21
  // rows (24 %). "today" is in one turn and its neighbours' context (14 %), "kiwi" in one note (5 %).
  const orchard = () => [
    ...Array.from({ length: 15 }, (_, i) => note(`filler words ${i}`)),
    turn('hello there'),
    turn('mango pie today'),
    turn('nice weather'),
    note('mango smoothie'),
    note('mango lassi'),
    note('kiwi jam'),
  ];

  async function assertOwnTextOnly(s: SqliteStore): Promise<void> {
    assert.deepEqual(await textsOf(s, 'mango'), ['mango lassi', 'mango pie today', 'mango smoothie']);
    // Rarer words are still matched in the neighbours' text too, alone or beside a common one.
    assert.deepEqual(await textsOf(s, 'mango kiwi'), [
      'kiwi jam',
      'mango lassi',
      'mango pie today',
      'mango smoothie',
    ]);
    assert.deepEqual(await textsOf(s, 'today'), ['hello there', 'mango pie today', 'nice weather']);
  }

  it('matches a word found in a fifth of the table or more in the memory own text only', async () => {
    store = await storeWith(orchard(), 1);
    await assertOwnTextOnly(store);
  });

  it('does the same for a user who holds less than half of the table (the scope-token plan)', async () => {
    const other = [...orchard(), note('one more')].map((m) => ({ ...m, user: 'u2' }));
    store = await storeWith([...orchard(), ...other], 1);
    await assertOwnTextOnly(store);
  });

  it('keeps the plain query below fromScopeRows rows (the default: 20 000)', async () => {
    store = await storeWith(orchard());
    assert.deepEqual(await textsOf(store, 'mango'), [
      'hello there',
      'mango lassi',
      'mango pie today',
      'mango smoothie',
      'nice weather',
    ]);
    assert.equal((await textsOf(store, 'zebra kiwi')).length, 1);
  });

  it('counts again once the table has grown by more than a tenth', async () => {
    store = await storeWith(orchard(), 1);
    assert.equal((await textsOf(store, 'mango')).length, 3);
    // 30 more rows without mango: 5 of 51 rows (10 %), no longer common.
    await insert(
      store,
      Array.from({ length: 30 }, (_, i) => note(`more filler ${i}`)),
      new Map(),
      { action: 'add', actor: 'test' },
    );
    assert.equal((await textsOf(store, 'mango')).length, 5);
  });
});
