import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { open } from '../../src/memory/open.js';
import type { Engram } from '../../src/memory/types.js';
import { parsePostgresUrl } from '../../src/store/postgres/url.js';
import { TEST_BACKEND, testDb } from '../helpers/backend.js';
import { tempDir } from '../helpers/cli.js';

/**
 * Turns the database back into one written before the store kept entity mentions (schema 1): no mentions or
 * event-time table, schema version 1, and no trace of the scan. Opening it again runs migrations 2 and 3 as an
 * upgrade would.
 */
async function downgradeToSchema1(location: string): Promise<void> {
  if (TEST_BACKEND === 'postgres') {
    const where = parsePostgresUrl(location);
    const client = new pg.Client({ connectionString: where.connectionString });
    await client.connect();
    try {
      const s = where.schema;
      await client.query(`DROP TABLE ${s}.mentions`);
      await client.query(`DROP TABLE ${s}.event_times`);
      await client.query(`DELETE FROM ${s}.engram_meta WHERE key LIKE 'event_times%'`);
      await client.query(`UPDATE ${s}.engram_meta SET value = '1' WHERE key = 'schema_version'`);
      await client.query(`DELETE FROM ${s}.engram_meta WHERE key LIKE 'mentions%'`);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(location);
  try {
    db.exec('DROP TABLE mentions');
    db.exec('DROP TABLE event_times');
    db.exec("DELETE FROM engram_meta WHERE key LIKE 'event_times%'");
    db.pragma('user_version = 1');
    db.exec("DELETE FROM engram_meta WHERE key LIKE 'mentions%'");
  } finally {
    db.close();
  }
}

const names = async (engram: Engram, user: string) =>
  (await engram.entities({ user })).map((e) => e.name).sort();

describe('mentions of memories written before schema 2', () => {
  let dir: string;
  let location: string;
  before(async () => {
    dir = tempDir('engram-mention-scan-');
    location = testDb(dir, 'old.db');
    const engram = await open({ path: location, embedder: 'none' });
    await engram.add({ user: 'wren', text: 'My cousin Tobiah fixes old clocks in Dunmore.' });
    await engram.add({ user: 'wren', text: 'nothing much, just tea' });
    await engram.add({ user: 'pell', text: 'I painted the shed with Marisol on Sunday.' });
    const deleted = await engram.add({ user: 'pell', text: 'Ignatius sold me his bicycle.' });
    await engram.delete(deleted.id);
    await engram
      .withContext({ tenant: 'other' })
      .add({ user: 'wren', text: 'We buy bread from Philippa at the corner bakery.' });
    assert.deepEqual(await names(engram, 'wren'), ['Dunmore', 'Tobiah']);
    await engram.close();
    await downgradeToSchema1(location);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has none after the upgrade, and maintain gives every tenant memory its mentions once', async () => {
    const engram = await open({ path: location, embedder: 'none' });
    try {
      assert.deepEqual(await names(engram, 'wren'), [], 'the upgrade itself reads nothing');
      // Written after the upgrade: it has its mentions already and is not read again.
      await engram.add({ user: 'wren', text: 'I had lunch with Lucan today.' });
      assert.deepEqual(await names(engram, 'wren'), ['Lucan']);

      const report = await engram.maintain({ user: 'pell', dryRun: true });
      assert.equal(report.mentionsScanned, 0, 'a dry run changes nothing');
      assert.deepEqual(await names(engram, 'pell'), []);

      // One user asked for, the whole tenant scanned: three live memories, the deleted one left out.
      const first = await engram.maintain({ user: 'pell' });
      assert.equal(first.mentionsScanned, 3);
      assert.deepEqual(await names(engram, 'wren'), ['Dunmore', 'Lucan', 'Tobiah']);
      assert.deepEqual(await names(engram, 'pell'), ['Marisol']);
      assert.deepEqual(await names(engram.withContext({ tenant: 'other' }), 'wren'), []);

      const again = await engram.maintain({});
      assert.equal(again.mentionsScanned, 0, 'each memory is read once, with or without mentions');

      const other = engram.withContext({ tenant: 'other' });
      assert.equal((await other.maintain({})).mentionsScanned, 1);
      assert.deepEqual(await names(other, 'wren'), ['Philippa']);
    } finally {
      await engram.close();
    }
  });

  it('a new database has nothing to scan', async () => {
    const fresh = tempDir('engram-mention-scan-new-');
    const engram = await open({ path: testDb(fresh, 'new.db'), embedder: 'none' });
    try {
      await engram.add({ user: 'wren', text: 'Tobiah fixes clocks.' });
      assert.equal((await engram.maintain({})).mentionsScanned, 0);
    } finally {
      await engram.close();
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
