import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createEventTimeIndexer } from '../../src/retrieve/event-times.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { analyze } from '../../src/text/analyzer.js';
import { insert, searchText, testIndexer } from '../helpers/store-ops.js';
import { storeConformance } from './conformance.js';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'engram-store-')), 'test.db');
const opts = { indexer: testIndexer('test-1'), eventTimes: createEventTimeIndexer() };

storeConformance('sqlite (file)', { create: async () => SqliteStore.open(tmp(), opts) });
storeConformance('sqlite (:memory:)', { create: async () => SqliteStore.open(':memory:', opts) });

describe('SqliteStore file handling', () => {
  it('refuses a file that is not SQLite, and leaves it untouched', () => {
    const p = tmp();
    writeFileSync(p, 'hello, I am a text file\n');
    assert.throws(() => SqliteStore.open(p, opts), { code: 'NOT_AN_ENGRAM_DB' });
  });

  it('refuses a SQLite file of another application', () => {
    const p = tmp();
    const db = new Database(p);
    db.exec('CREATE TABLE t (x)');
    db.close();
    assert.throws(() => SqliteStore.open(p, opts), { code: 'NOT_AN_ENGRAM_DB' });
  });

  it('refuses a database from a newer Engram', async () => {
    const p = tmp();
    (await SqliteStore.open(p, opts)).close();
    const db = new Database(p);
    db.pragma('user_version = 99');
    db.close();
    assert.throws(() => SqliteStore.open(p, opts), { code: 'DB_TOO_NEW', message: /version 99/ });
  });

  it('uses WAL, a busy timeout and secure delete', async () => {
    const p = tmp();
    const s = SqliteStore.open(p, opts);
    await s.close();
    const db = new Database(p);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    db.close();
  });

  it('rebuilds the full-text index when the analyzer changes', async () => {
    const p = tmp();
    const a = SqliteStore.open(p, {
      indexer: testIndexer('plain', (t) => t.toLowerCase().split(/\W+/).filter(Boolean)),
    });
    const { makeMemory } = await import('../helpers/memory-factory.js');
    await insert(a, [makeMemory({ text: 'Running shoes' })], new Map(), { action: 'add', actor: 't' });
    assert.equal((await searchText(a, { tenant: 't1' }, ['run'], 5)).length, 0);
    await a.close();
    const b = SqliteStore.open(p, opts);
    assert.equal((await searchText(b, { tenant: 't1' }, analyze('run'), 5)).length, 1);
    assert.equal(b.integrityCheck(), 'ok');
    await b.close();
  });
});
