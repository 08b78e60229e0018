import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { seededRandom } from '../../src/bench/synthetic.js';
import type { Memory } from '../../src/core/types.js';
import { DEFAULT_RETRIEVAL } from '../../src/retrieve/hybrid.js';
import { scopeWhere } from '../../src/store/sqlite/filters.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ScopeFilter } from '../../src/store/types.js';
import { analyze } from '../../src/text/analyzer.js';
import { makeMemory } from '../helpers/memory-factory.js';
import { insert, searchText, testIndexer } from '../helpers/store-ops.js';

/**
 * searchText takes the best full-text matches first and tests the scope afterwards (fast for a heavy user),
 * falls back to an exact join when too few are in scope, and bounds time-range searches by rowid. Each path
 * must return exactly what the plain join (the reference, run here on the same file) returns.
 */
const WORDS = 'camping pottery guitar painting hiking beach adoption shelter dance garden coffee trip'.split(
  ' ',
);
const DAY = 86_400_000;
const START = Date.parse('2023-01-01T00:00:00Z');

function reference(
  db: Database.Database,
  filter: ScopeFilter,
  terms: string[],
  limit: number,
  w = DEFAULT_RETRIEVAL.contextWeight,
) {
  const match = [...new Set(terms)].map((t) => `"${t}"`).join(' OR ');
  const where = scopeWhere(filter);
  return db
    .prepare(
      `SELECT m.id AS id, -bm25(memories_fts, 1.0, ?) AS score FROM memories_fts JOIN memories m ON m.seq = memories_fts.rowid
       WHERE memories_fts MATCH ? AND ${where.sql} ORDER BY score DESC LIMIT ?`,
    )
    .all(w, match, ...where.params, limit) as { id: string; score: number }[];
}

/**
 * Same scores in the same order, and the same ids above the last score: which of several equally scored
 * memories make the cut at the limit is not part of the contract.
 */
function assertSameRanking(
  got: { id: string; score: number }[],
  want: { id: string; score: number }[],
  label: string,
) {
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  assert.deepEqual(
    got.map((h) => round(h.score)),
    want.map((h) => round(h.score)),
    label,
  );
  const cut = want.length > 0 ? round(want[want.length - 1]!.score) : 0;
  const above = (hits: { id: string; score: number }[]) =>
    hits
      .filter((h) => round(h.score) > cut)
      .map((h) => h.id)
      .sort();
  assert.deepEqual(above(got), above(want), label);
}

describe('SqliteStore.searchText query plans', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'engram-text-')), 'plans.db');
  let store: SqliteStore;
  let db: Database.Database;
  const random = seededRandom(7);
  const sentence = () =>
    Array.from(
      { length: 3 + Math.floor(random() * 6) },
      () => WORDS[Math.floor(random() * WORDS.length)],
    ).join(' ');

  before(async () => {
    store = SqliteStore.open(path, { indexer: testIndexer('test-1') });
    const memories: Memory[] = [];
    // A heavy user written in time order, a light user, and a user written out of time order.
    for (let i = 0; i < 600; i++) {
      const at = new Date(START + i * 0.25 * DAY).toISOString();
      memories.push(makeMemory({ user: 'heavy', session: `s${i >> 4}`, text: sentence(), occurredAt: at }));
      if (i % 50 === 0) memories.push(makeMemory({ user: 'light', text: sentence(), occurredAt: at }));
    }
    for (let i = 0; i < 80; i++) {
      const at = new Date(START + ((i * 37) % 80) * DAY).toISOString();
      memories.push(makeMemory({ user: 'shuffled', text: sentence(), occurredAt: at }));
    }
    memories[3]!.status = 'deleted';
    memories[5]!.validTo = '2023-02-01T00:00:00.000Z';
    await insert(store, memories, new Map(), { action: 'add', actor: 'test' });
    db = new Database(path, { readonly: true });
  });

  after(async () => {
    db.close();
    await store.close();
  });

  const cases: [string, ScopeFilter][] = [
    ['heavy user (best matches mostly in scope)', { tenant: 't1', user: 'heavy' }],
    ['light user (falls back to the exact join)', { tenant: 't1', user: 'light' }],
    ['whole tenant', { tenant: 't1' }],
    [
      'deleted and superseded included',
      { tenant: 't1', user: 'heavy', statuses: ['active', 'deleted'], includeSuperseded: true },
    ],
    ['one session', { tenant: 't1', user: 'heavy', session: 's3' }],
    [
      'a day',
      {
        tenant: 't1',
        user: 'heavy',
        occurredFrom: '2023-02-10T00:00:00.000Z',
        occurredTo: '2023-02-11T00:00:00.000Z',
      },
    ],
    [
      'a month',
      {
        tenant: 't1',
        user: 'heavy',
        occurredFrom: '2023-03-01T00:00:00.000Z',
        occurredTo: '2023-04-01T00:00:00.000Z',
      },
    ],
    ['open-ended range', { tenant: 't1', user: 'heavy', occurredFrom: '2023-05-01T00:00:00.000Z' }],
    [
      'written out of time order',
      {
        tenant: 't1',
        user: 'shuffled',
        occurredFrom: '2023-01-20T00:00:00.000Z',
        occurredTo: '2023-02-05T00:00:00.000Z',
      },
    ],
    ['range without a user', { tenant: 't1', occurredTo: '2023-01-15T00:00:00.000Z' }],
    ['empty range', { tenant: 't1', user: 'heavy', occurredFrom: '2030-01-01T00:00:00.000Z' }],
  ];
  for (const [name, filter] of cases) {
    it(`returns what the plain join returns: ${name}`, async () => {
      for (const [query, limit] of [
        ['camping', 10],
        ['pottery guitar', 5],
        ['beach dance coffee', 100],
        ['adoption', 1],
      ] as const) {
        const terms = analyze(query);
        const got = await searchText(store, filter, terms, limit);
        const want = reference(db, filter, terms, limit);
        assertSameRanking(got, want, `${query} @${limit}`);
      }
    });
  }

  it('finds something in the non-trivial cases (the comparison is not vacuous)', async () => {
    assert.ok((await searchText(store, { tenant: 't1', user: 'light' }, ['camp'], 10)).length > 0);
    const month = {
      tenant: 't1',
      user: 'heavy',
      occurredFrom: '2023-03-01T00:00:00.000Z',
      occurredTo: '2023-04-01T00:00:00.000Z',
    };
    const hits = await searchText(store, month, analyze('beach dance coffee'), 100);
    assert.ok(hits.length > 20);
  });
});
