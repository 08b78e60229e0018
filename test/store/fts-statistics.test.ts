import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Memory } from '../../src/core/types.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { analyze } from '../../src/text/analyzer.js';
import { makeMemory } from '../helpers/memory-factory.js';
import { insert, searchText, testIndexer } from '../helpers/store-ops.js';

/**
 * FTS5 keeps BM25's row and token counts in one record that deletes from a contentless_delete table never
 * lower. Rebuilding the index (on an analyzer change) must leave them as the store's own writes left them;
 * before, every rebuild added the whole table to them again and shifted every score.
 */
function averages(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db.prepare('SELECT block FROM memories_fts_data WHERE id = 1').get() as { block: Buffer }
    ).block.toString('hex');
  } finally {
    db.close();
  }
}

const TEXTS = [
  'I adopted a puppy from the shelter',
  'What breed is it?',
  'A beagle, she loves long walks on the beach',
  'We should go hiking together next week',
  'I painted the lake at sunrise',
  'Pottery class was fun on Friday',
];

describe('FTS5 statistics across index rebuilds', () => {
  it('are the same after one or several rebuilds as after the writes, and so are the scores', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'engram-ftsstats-')), 's.db');
    let store = SqliteStore.open(path, { indexer: testIndexer('v1') });
    // Three sessions of turns written in two batches, and notes: neighbours get re-indexed as turns arrive.
    const memories: Memory[] = [];
    for (let s = 0; s < 3; s++) {
      for (const text of TEXTS)
        memories.push(makeMemory({ kind: 'turn', session: `s${s}`, text: `${text} ${s}` }));
    }
    await insert(store, memories.slice(0, 10), new Map(), { action: 'add', actor: 'test' });
    await insert(store, memories.slice(10), new Map(), { action: 'add', actor: 'test' });
    await insert(
      store,
      [makeMemory({ kind: 'note', session: null, text: 'the beagle is called Bo' })],
      new Map(),
      {
        action: 'add',
        actor: 'test',
      },
    );
    const scope = { tenant: 't1', user: 'u1' };
    const query = analyze('beagle walks beach');
    const before = await searchText(store, scope, query, 10, { contextWeight: 0.75 });
    await store.close();
    const written = averages(path);
    assert.ok(before.length >= 4);

    for (const version of ['v2', 'v3', 'v4']) {
      // A new analyzer version rebuilds the full-text index on open.
      store = SqliteStore.open(path, { indexer: testIndexer(version) });
      assert.deepEqual(await searchText(store, scope, query, 10, { contextWeight: 0.75 }), before, version);
      await store.close();
      assert.equal(averages(path), written, `statistics after the ${version} rebuild`);
    }
  });
});
