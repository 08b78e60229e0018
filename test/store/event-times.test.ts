import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { createEventTimeIndexer } from '../../src/retrieve/event-times.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { parsePostgresUrl } from '../../src/store/postgres/url.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { EventTimeIndexer, Store } from '../../src/store/types.js';
import { testDb } from '../helpers/backend.js';
import { tempDir } from '../helpers/cli.js';
import { makeMemory } from '../helpers/memory-factory.js';
import { insert, testIndexer } from '../helpers/store-ops.js';

const dir = tempDir('engram-event-times-');
after(() => rmSync(dir, { recursive: true, force: true }));

async function openAt(location: string, eventTimes?: EventTimeIndexer): Promise<Store> {
  const options = { indexer: testIndexer(), ...(eventTimes ? { eventTimes } : {}) };
  return location.startsWith('postgres')
    ? PostgresStore.open(location, options)
    : SqliteStore.open(location, options);
}

async function onSunday(store: Store): Promise<string[]> {
  const { lists } = await store.search({
    text: [],
    vector: [],
    event: [
      {
        name: 'e',
        filter: { tenant: 't1', user: 'priya' },
        from: '2023-09-10T00:00:00Z',
        to: '2023-09-11T00:00:00Z',
        limit: 10,
      },
    ],
  });
  return lists.e!.map((h) => h.id);
}

describe('stored event times across opens', () => {
  it('fills them in on open for memories stored without them, and again when the rules change', async () => {
    const location = testDb(dir, 'backfill.db');
    const swim = makeMemory({
      user: 'priya',
      text: 'Last Sunday I swam across the lake for charity',
      occurredAt: '2023-09-14T10:00:00.000Z',
    });
    // As a database written before event times were stored: nothing is kept, nothing found.
    let store = await openAt(location);
    await insert(store, [swim], new Map(), { action: 'add', actor: 'test' });
    assert.deepEqual(await onSunday(store), []);
    await store.close();

    store = await openAt(location, createEventTimeIndexer());
    assert.deepEqual(await onSunday(store), [swim.id]);
    await store.close();

    // Rules that move every event a week later are applied to every stored memory on the next open.
    const later: EventTimeIndexer = {
      version: 'test-later',
      events: (m) =>
        createEventTimeIndexer()
          .events(m)
          .map((e) => ({ ...e, start: addDays(e.start, 7), end: addDays(e.end, 7) })),
    };
    store = await openAt(location, later);
    assert.deepEqual(await onSunday(store), []);
    await store.close();

    // Opened once without an indexer (writes keep no event times then), the next open recomputes them.
    store = await openAt(location);
    await store.close();
    store = await openAt(location, createEventTimeIndexer());
    assert.deepEqual(await onSunday(store), [swim.id]);
    await store.close();
  });
});

/** Rows of the event_times table for a user, read straight from the database. */
async function rawRows(location: string, user: string): Promise<number> {
  if (!location.startsWith('postgres')) {
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(location, { readonly: true });
    try {
      return (
        db.prepare('SELECT count(*) AS n FROM event_times WHERE user_id = ?').get(user) as { n: number }
      ).n;
    } finally {
      db.close();
    }
  }
  const where = parsePostgresUrl(location);
  const client = new pg.Client({ connectionString: where.connectionString });
  await client.connect();
  try {
    const r = await client.query(
      `SELECT count(*)::int AS n FROM ${where.schema}.event_times WHERE user_id = $1`,
      [user],
    );
    return r.rows[0].n as number;
  } finally {
    await client.end();
  }
}

describe('erasing event times', () => {
  it('leaves no event_times row of an erased memory or user', async () => {
    const location = testDb(dir, 'erase.db');
    const store = await openAt(location, createEventTimeIndexer());
    const said = '2023-09-14T10:00:00.000Z';
    const a = makeMemory({ user: 'gone', text: 'Yesterday I sold my old bicycle', occurredAt: said });
    const b = makeMemory({ user: 'gone', text: 'Two weeks ago I bought a kayak', occurredAt: said });
    await insert(store, [a, b], new Map(), { action: 'add', actor: 'test' });
    assert.equal(await rawRows(location, 'gone'), 2);
    await store.erase('t1', { id: a.id }, 'test');
    assert.equal(await rawRows(location, 'gone'), 1);
    await store.erase('t1', { user: 'gone' }, 'test');
    assert.equal(await rawRows(location, 'gone'), 0);
    await store.close();
  });
});

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
