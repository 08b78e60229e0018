import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { seededRandom } from '../../src/bench/synthetic.js';
import type { Memory } from '../../src/core/types.js';
import { scopeWhere } from '../../src/store/sqlite/filters.js';
import type { ReadWorker } from '../../src/store/sqlite/read-worker.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { readVarints } from '../../src/store/sqlite/text-search.js';
import type { ScopeFilter } from '../../src/store/types.js';
import { dotRow, VectorMatrix } from '../../src/store/vectors/matrix.js';
import { analyze } from '../../src/text/analyzer.js';
import { makeMemory } from '../helpers/memory-factory.js';
import { insert, searchText, testIndexer } from '../helpers/store-ops.js';

/**
 * The fast paths of the store's search must return exactly what the plain versions return: the full-text
 * query split between two threads (and the unscoped plan for a user who holds most of the table) against the
 * plain join, the SIMD vector scan against the JavaScript dot product, bit for bit.
 */
const WORDS =
  'camping pottery guitar painting hiking beach adoption shelter dance garden coffee trip week think'.split(
    ' ',
  );

function plainJoin(db: Database.Database, filter: ScopeFilter, terms: string[], limit: number, w: number) {
  const match = [...new Set(terms)].map((t) => `"${t}"`).join(' OR ');
  const where = scopeWhere(filter);
  return db
    .prepare(
      `SELECT m.id AS id, -bm25(memories_fts, 1.0, ?) AS score FROM memories_fts JOIN memories m ON m.seq = memories_fts.rowid
       WHERE memories_fts MATCH ? AND ${where.sql} ORDER BY score DESC, m.seq ASC LIMIT ?`,
    )
    .all(w, match, ...where.params, limit) as { id: string; score: number }[];
}

/** Starts the store's read worker with one search, then calls `count` for each statement sent to it. */
async function countWorkerQueries(store: SqliteStore, count: () => void): Promise<ReadWorker> {
  await searchText(store, { tenant: 't1', user: 'big' }, ['coffee'], 5);
  const reader = (store as unknown as { text: { reader: ReadWorker } }).text.reader;
  assert.equal(await reader.opened, true);
  const all = reader.all.bind(reader);
  reader.all = <T>(sql: string, params: unknown[]) => {
    count();
    return all<T>(sql, params);
  };
  return reader;
}

describe('SqliteStore.searchText split between two threads', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'engram-split-')), 'split.db');
  let store: SqliteStore;
  let db: Database.Database;
  let reader: ReadWorker;
  let workerQueries = 0;

  before(async () => {
    // Split from the first row on, so that a small file takes the path a 100k-memory one takes.
    store = SqliteStore.open(path, { indexer: testIndexer('test-1'), splitReadsFrom: 1 });
    const random = seededRandom(11);
    const sentence = () =>
      Array.from(
        { length: 2 + Math.floor(random() * 7) },
        () => WORDS[Math.floor(random() * WORDS.length)],
      ).join(' ');
    const memories: Memory[] = [];
    // One user holds most of the table (the unscoped plan), a second one a tenth of it (the scoped plan).
    for (let i = 0; i < 900; i++) {
      const user = i % 10 === 0 ? 'small' : 'big';
      memories.push(makeMemory({ user, kind: 'turn', session: `s${i >> 3}`, text: sentence() }));
    }
    memories[4]!.status = 'deleted';
    memories[7]!.validTo = '2024-02-01T00:00:00.000Z';
    await insert(store, memories, new Map(), { action: 'add', actor: 'test' });
    reader = await countWorkerQueries(store, () => workerQueries++);
    db = new Database(path, { readonly: true });
  });

  after(async () => {
    db.close();
    await store.close();
  });

  for (const [name, filter] of [
    ['a user with most of the table', { tenant: 't1', user: 'big' }],
    ['a small user', { tenant: 't1', user: 'small' }],
    ['the whole tenant', { tenant: 't1' }],
    [
      'deleted and superseded included',
      { tenant: 't1', user: 'big', statuses: ['active', 'deleted'], includeSuperseded: true },
    ],
  ] as [string, ScopeFilter][]) {
    it(`returns exactly what one query returns, ties included: ${name}`, async () => {
      const before = workerQueries;
      for (const [query, limit] of [
        ['coffee', 10],
        ['think week trip', 5],
        ['beach dance coffee garden', 100],
        ['adoption', 1],
        ['think', 300],
      ] as const) {
        const terms = analyze(query);
        const got = await searchText(store, filter, terms, limit, { contextWeight: 0.75 });
        assert.deepEqual(got, plainJoin(db, filter, terms, limit, 0.75), `${query} @${limit}`);
      }
      assert.ok(workerQueries > before, 'the worker scored half of the queries');
    });
  }

  it('splits searches that never yield to the event loop in between', async () => {
    const second = SqliteStore.open(path, { indexer: testIndexer('test-1'), splitReadsFrom: 1 });
    const filter: ScopeFilter = { tenant: 't1', user: 'big' };
    const terms = analyze('think week trip');
    await searchText(second, filter, terms, 20); // starts its worker
    // Wait without turning the event loop, as a caller running search after search does.
    const started = Date.now();
    const secondReader = (second as unknown as { text: { reader: ReadWorker } }).text.reader;
    while (!secondReader.available && Date.now() - started < 5000) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
    let split = 0;
    const all = secondReader.all.bind(secondReader);
    secondReader.all = <T>(sql: string, params: unknown[]) => {
      split++;
      return all<T>(sql, params);
    };
    assert.deepEqual(await searchText(second, filter, terms, 20), plainJoin(db, filter, terms, 20, 0.75));
    assert.equal(split, 1);
    await second.close();
  });

  it('runs the whole query itself once the worker is gone', async () => {
    await (store as unknown as { text: { reader: ReadWorker } }).text.reader.close();
    const filter: ScopeFilter = { tenant: 't1', user: 'big' };
    const terms = analyze('think week trip');
    assert.deepEqual(await searchText(store, filter, terms, 20), plainJoin(db, filter, terms, 20, 0.75));
  });
});

describe('SqliteStore.searchText on the read worker for a large index', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'engram-offthread-')), 'off.db');
  let store: SqliteStore;
  let db: Database.Database;
  let workerQueries = 0;

  before(async () => {
    // Any index counts as large (offThreadTokens 1), while no scope reaches the split (splitReadsFrom default).
    store = SqliteStore.open(path, { indexer: testIndexer('test-1'), offThreadTokens: 1 });
    const random = seededRandom(23);
    const memories: Memory[] = [];
    for (let i = 0; i < 300; i++) {
      const text = Array.from(
        { length: 3 + Math.floor(random() * 20) },
        () => WORDS[Math.floor(random() * WORDS.length)],
      ).join(' ');
      memories.push(
        makeMemory({
          user: i % 3 === 0 ? 'small' : 'big',
          kind: i % 7 === 0 ? 'fact' : 'turn',
          session: `s${i >> 4}`,
          text,
          occurredAt: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
        }),
      );
    }
    await insert(store, memories, new Map(), { action: 'add', actor: 'test' });
    await countWorkerQueries(store, () => workerQueries++);
    db = new Database(path, { readonly: true });
  });

  after(async () => {
    db.close();
    await store.close();
  });

  it('estimates the index tokens from FTS5 own totals: at least what fts5vocab counts, rewrites included', () => {
    const vocab = new Database(path);
    vocab.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, 'memories_fts', 'row')");
    const { n } = vocab.prepare('SELECT sum(cnt) AS n FROM temp.vocab').get() as { n: number };
    vocab.close();
    const counted = (store as unknown as { text: { indexTokens(): number } }).text.indexTokens();
    assert.ok(n > 1000, `${n} tokens`);
    // Each turn's context column is written again when the next turn of its session arrives.
    assert.ok(counted >= n && counted <= 2 * n, `${counted} against ${n}`);
  });

  it('reads SQLite varints of one to nine bytes', () => {
    assert.deepEqual(
      readVarints(Uint8Array.from([0x00, 0x7f, 0x81, 0x00, 0x84, 0x07, 0xb3, 0x5d])),
      [0, 127, 128, 519, 6621],
    );
    const nine = Uint8Array.from([0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    assert.deepEqual(readVarints(nine), [2 ** 57 + 1]);
    assert.deepEqual(readVarints(Uint8Array.from([0x05, 0x81])), [5], 'a cut-off varint is left out');
  });

  for (const [name, filter] of [
    ['a user with most of the table', { tenant: 't1', user: 'big' }],
    ['a small user', { tenant: 't1', user: 'small' }],
    ['one session (the exact join)', { tenant: 't1', user: 'big', session: 's3' }],
    ['facts only (the exact join)', { tenant: 't1', user: 'big', kinds: ['fact'] }],
    [
      'a time range',
      {
        tenant: 't1',
        user: 'big',
        occurredFrom: '2024-03-01T00:00:00.000Z',
        occurredTo: '2024-06-01T00:00:00.000Z',
      },
    ],
  ] as [string, ScopeFilter][]) {
    it(`scores every query there, with exactly the scores of one query here: ${name}`, async () => {
      for (const [query, limit] of [
        ['coffee', 10],
        ['think week trip', 5],
        ['beach dance coffee garden', 50],
      ] as const) {
        const before = workerQueries;
        const terms = analyze(query);
        const got = await searchText(store, filter, terms, limit, { contextWeight: 0.75 });
        const want = plainJoin(db, filter, terms, limit, 0.75);
        assert.ok(want.length > 0, `${query}: the fixture matches`);
        assert.deepEqual(new Set(got.map((h) => h.id)), new Set(want.map((h) => h.id)), `${query} @${limit}`);
        assert.deepEqual(
          got.map((h) => h.score),
          want.map((h) => h.score),
          `${query} @${limit}: scores`,
        );
        assert.ok(workerQueries > before, `${query}: the worker ran it`);
      }
    });
  }
});

describe('VectorMatrix', () => {
  it('scores every row exactly as the JavaScript dot product does, across growth', () => {
    const random = seededRandom(5);
    for (const dims of [1, 3, 4, 7, 100, 384]) {
      const matrix = new VectorMatrix(dims, 2);
      const plain: Float32Array[] = [];
      for (let i = 0; i < 300; i++) {
        const v = new Float32Array(dims);
        for (let k = 0; k < dims; k++) v[k] = (random() - 0.5) * 10 ** Math.floor(random() * 8 - 4);
        if (i === 3) v.fill(-0);
        plain.push(v);
        if (i % 2 === 0) matrix.push(v);
        else matrix.pushBytes(new Uint8Array(v.buffer));
      }
      const query = Float32Array.from({ length: dims }, () => random() - 0.5);
      const scores = matrix.scores(query);
      assert.equal(scores.length, 300);
      for (let i = 0; i < 300; i++) {
        const want = dotRow(plain[i]!, 0, query, dims);
        assert.ok(Object.is(scores[i], want), `dims ${dims}, row ${i}: ${scores[i]} vs ${want}`);
        assert.deepEqual(matrix.row(i), plain[i]);
      }
    }
  });

  it('refuses a vector of another dimension', () => {
    const matrix = new VectorMatrix(4);
    assert.throws(() => matrix.push(new Float32Array(3)), RangeError);
    assert.throws(() => matrix.pushBytes(new Uint8Array(20)), RangeError);
    assert.equal(matrix.scores(new Float32Array(4)).length, 0);
  });
});
