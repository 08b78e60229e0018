import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Memory } from '../../src/core/types.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeMemory } from '../helpers/memory-factory.js';
import { insert, searchVector, testIndexer } from '../helpers/store-ops.js';

/**
 * The per-user vector matrices are bounded: beyond the byte budget the least recently searched scopes are
 * dropped, and a dropped scope searches exactly as before once it is rebuilt from SQLite.
 */
const MODEL = 'test-model';
const USERS = ['ana', 'ben', 'cy'];

function unit(i: number): Float32Array {
  const v = new Float32Array(8);
  v[i % 8] = 1;
  v[(i * 3 + 1) % 8] += 0.5;
  return v;
}

describe('SqliteStore vector cache', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'engram-vcache-')), 'v.db');
  let store: SqliteStore;
  let oneScope = 0;

  before(async () => {
    store = SqliteStore.open(path, { indexer: testIndexer('test-1') });
    const memories: Memory[] = [];
    const vectors = new Map<string, { model: string; vector: Float32Array }>();
    for (const user of USERS) {
      for (let i = 0; i < 100; i++) {
        const m = makeMemory({ user, text: `${user} note ${i}` });
        memories.push(m);
        vectors.set(m.id, { model: MODEL, vector: unit(i) });
      }
    }
    await insert(store, memories, vectors, { action: 'add', actor: 'test' });
    await searchVector(store, { tenant: 't1', user: 'ana' }, MODEL, unit(3), 5);
    oneScope = store.vectorCacheUsage().bytes;
    await store.close();
  });

  after(async () => {
    await store.close();
  });

  it('keeps every scope while they fit the budget', async () => {
    store = SqliteStore.open(path, { indexer: testIndexer('test-1') });
    for (const user of USERS) await searchVector(store, { tenant: 't1', user }, MODEL, unit(1), 5);
    assert.deepEqual(store.vectorCacheUsage(), { scopes: 3, bytes: 3 * oneScope });
    await store.close();
  });

  it('drops the least recently searched scope beyond the budget, and searches it exactly afterwards', async () => {
    store = SqliteStore.open(path, { indexer: testIndexer('test-1'), vectorCacheBytes: 2 * oneScope });
    const ana = { tenant: 't1', user: 'ana' };
    const first = await searchVector(store, ana, MODEL, unit(5), 10);
    assert.equal(first.length, 10);
    await searchVector(store, { tenant: 't1', user: 'ben' }, MODEL, unit(5), 10);
    // A hit makes ana the most recent, so cy's arrival drops ben, not ana.
    await searchVector(store, ana, MODEL, unit(5), 10);
    await searchVector(store, { tenant: 't1', user: 'cy' }, MODEL, unit(5), 10);
    const cache = (store as unknown as { vectors: { scopes: Map<string, unknown> } }).vectors.scopes;
    assert.deepEqual(
      [...cache.keys()].map((k) => k.split('\u0000')[1]),
      ['ana', 'cy'],
    );
    assert.deepEqual(store.vectorCacheUsage(), { scopes: 2, bytes: 2 * oneScope });
    await searchVector(store, { tenant: 't1', user: 'ben' }, MODEL, unit(5), 10);
    assert.deepEqual(
      [...cache.keys()].map((k) => k.split('\u0000')[1]),
      ['cy', 'ben'],
    );
    assert.deepEqual(await searchVector(store, ana, MODEL, unit(5), 10), first);
  });

  it('keeps the scope being searched even when it alone exceeds the budget', async () => {
    await store.close();
    store = SqliteStore.open(path, { indexer: testIndexer('test-1'), vectorCacheBytes: 1 });
    const hits = await searchVector(store, { tenant: 't1', user: 'ben' }, MODEL, unit(2), 3);
    assert.equal(hits.length, 3);
    assert.equal(store.vectorCacheUsage().scopes, 1);
    await searchVector(store, { tenant: 't1', user: 'cy' }, MODEL, unit(2), 3);
    assert.equal(store.vectorCacheUsage().scopes, 1);
  });
});
