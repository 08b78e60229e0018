import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import pg from 'pg';
import { createEventTimeIndexer } from '../../src/retrieve/event-times.js';
import { type Database, openPool, pgliteDatabase } from '../../src/store/postgres/db.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { parsePostgresUrl } from '../../src/store/postgres/url.js';
import { freshPostgresUrl } from '../helpers/backend.js';
import { makeMemory, unitVector } from '../helpers/memory-factory.js';
import { insert, testIndexer } from '../helpers/store-ops.js';
import { storeConformance } from './conformance.js';

const options = { indexer: testIndexer(), eventTimes: createEventTimeIndexer() };

storeConformance('postgres (server, exact vector scan)', {
  create: async () => {
    const store = await PostgresStore.open(freshPostgresUrl('conf'), options);
    assert.equal(store.usesPgvector, false, 'the test server has no vector extension');
    return store;
  },
});

storeConformance('postgres (PGlite with pgvector, HNSW)', {
  create: async () => {
    const db = await PGlite.create({ extensions: { vector } });
    const store = await PostgresStore.onDatabase(pgliteDatabase(db), 'engram', 'pglite', options);
    assert.equal(store.usesPgvector, true);
    return store;
  },
});

async function sql(url: string, text: string): Promise<void> {
  const where = parsePostgresUrl(url);
  const client = new pg.Client({ connectionString: where.connectionString });
  await client.connect();
  try {
    await client.query(text.replaceAll('$schema', where.schema));
  } finally {
    await client.end();
  }
}

describe('PostgresStore schema handling', () => {
  it('refuses a schema holding tables of another application, and leaves it untouched', async () => {
    const url = freshPostgresUrl('foreign');
    await sql(url, 'CREATE SCHEMA $schema; CREATE TABLE $schema.orders (id int)');
    await assert.rejects(PostgresStore.open(url, options), { code: 'NOT_AN_ENGRAM_DB', message: /orders/ });
    await sql(url, 'SELECT count(*) FROM $schema.orders');
  });

  it('refuses a schema from a newer Engram', async () => {
    const url = freshPostgresUrl('newer');
    await (await PostgresStore.open(url, options)).close();
    await sql(url, "UPDATE $schema.engram_meta SET value = '99' WHERE key = 'schema_version'");
    await assert.rejects(PostgresStore.open(url, options), { code: 'DB_TOO_NEW', message: /version 99/ });
  });

  it('migrates once when several servers open a new schema at the same moment', async () => {
    const url = freshPostgresUrl('race');
    const stores = await Promise.all(Array.from({ length: 6 }, () => PostgresStore.open(url, options)));
    await insert(stores[0]!, [makeMemory({ text: 'written by the first' })]);
    for (const s of stores) assert.equal((await s.stats('t1')).memories, 1);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('keeps installations apart by schema in one database', async () => {
    const a = await PostgresStore.open(freshPostgresUrl('a'), options);
    const b = await PostgresStore.open(freshPostgresUrl('b'), options);
    await insert(a, [makeMemory({ text: 'only in a' })]);
    assert.equal((await a.stats('t1')).memories, 1);
    assert.equal((await b.stats('t1')).memories, 0);
    await a.close();
    await b.close();
  });

  it('finds what another server wrote at once, vectors included (the exact-scan cache follows versions)', async () => {
    const url = freshPostgresUrl('cache');
    const a = await PostgresStore.open(url, options);
    const b = await PostgresStore.open(url, options);
    const query = (store: PostgresStore) =>
      store.search({
        text: [],
        vector: [
          {
            name: 'v',
            filter: { tenant: 't1', user: 'u1' },
            model: 'm',
            vector: unitVector([1, 0]),
            limit: 5,
          },
        ],
      });
    const first = makeMemory({ text: 'first' });
    await insert(a, [first], new Map([[first.id, { model: 'm', vector: unitVector([0, 1]) }]]));
    assert.deepEqual(
      (await query(a)).lists.v!.map((h) => h.id),
      [first.id],
    );
    const second = makeMemory({ text: 'second' });
    await insert(b, [second], new Map([[second.id, { model: 'm', vector: unitVector([1, 0]) }]]));
    assert.deepEqual(
      (await query(a)).lists.v!.map((h) => h.id),
      [second.id, first.id],
    );
    await b.apply({
      tenant: 't1',
      ops: [
        { op: 'replace', memory: { ...second, status: 'deleted' }, change: { action: 'delete', actor: 't' } },
      ],
    });
    assert.deepEqual(
      (await query(a)).lists.v!.map((h) => h.id),
      [first.id],
    );
    await a.close();
    await b.close();
  });

  it('answers a search whose vector matrix is current in one statement, and reloads it after another server wrote', async () => {
    const url = freshPostgresUrl('trips');
    const where = parsePostgresUrl(url);
    const statements: string[] = [];
    const pool = await openPool({ connectionString: where.connectionString }, where.display);
    const counted: Database = {
      query: (text, params) => {
        statements.push(text);
        return pool.query(text, params);
      },
      transaction: (fn) => pool.transaction(fn),
      close: () => pool.close(),
    };
    const a = await PostgresStore.onDatabase(counted, where.schema, where.display, options);
    const b = await PostgresStore.open(url, options);
    const one = makeMemory({
      text: 'the red kite nests by the river',
      occurredAt: '2024-03-02T10:00:00.000Z',
    });
    await insert(a, [one], new Map([[one.id, { model: 'm', vector: unitVector([1, 0]) }]]));
    const filter = { tenant: 't1', user: 'u1' };
    const request = {
      text: [
        { name: 'bm25', filter, terms: ['kite', 'river'], contextWeight: 0.75, limit: 10 },
        {
          name: 'march',
          filter: {
            ...filter,
            occurredFrom: '2024-03-01T00:00:00.000Z',
            occurredTo: '2024-04-01T00:00:00.000Z',
          },
          terms: ['kite'],
          contextWeight: 0.75,
          limit: 10,
        },
      ],
      vector: [{ name: 'v', filter, model: 'm', vector: unitVector([1, 0]), limit: 10 }],
    };
    await a.search(request); // loads the matrix
    statements.length = 0;
    const first = await a.search(request);
    assert.equal(statements.length, 1, 'text lists and the vector version in one statement');
    assert.deepEqual(
      [first.lists.bm25, first.lists.march, first.lists.v].map((l) => l!.map((h) => h.id)),
      [[one.id], [one.id], [one.id]],
    );
    const two = makeMemory({ text: 'a kite again', occurredAt: '2024-05-01T00:00:00.000Z' });
    await insert(b, [two], new Map([[two.id, { model: 'm', vector: unitVector([1, 1]) }]]));
    statements.length = 0;
    const after = await a.search(request);
    assert.equal(statements.length, 2, 'the statement, then the reload of the matrix another server changed');
    assert.deepEqual(
      after.lists.v!.map((h) => h.id),
      [one.id, two.id],
    );
    assert.deepEqual(
      after.lists.march!.map((h) => h.id),
      [one.id],
    );
    await a.close();
    await b.close();
  });

  it('looks imported ids up in every tenant through an index', async () => {
    const url = freshPostgresUrl('importix');
    const store = await PostgresStore.open(url, options);
    await insert(store, [makeMemory({ text: 'a row' })]);
    const where = parsePostgresUrl(url);
    const client = new pg.Client({ connectionString: where.connectionString });
    await client.connect();
    try {
      // The table is tiny, so the planner would scan it anyway: forbidding scans shows whether an index serves.
      await client.query('SET enable_seqscan = off');
      const plan = await client.query(
        `EXPLAIN SELECT id, tenant FROM ${where.schema}.memories WHERE id = ANY($1::text[])`,
        [['a', 'b']],
      );
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      assert.match(text, /memories_id/);
      assert.doesNotMatch(text, /Seq Scan/);
    } finally {
      await client.end();
      await store.close();
    }
  });

  it('names the server, never the password, when it cannot connect', async () => {
    await assert.rejects(
      PostgresStore.open('postgres://someone:hunter2@127.0.0.1:1/nowhere?schema=x', options),
      (e: Error) => /127\.0\.0\.1:1/.test(e.message) && !e.message.includes('hunter2'),
    );
  });
});
