import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { openKeyStore } from '../../src/server/key-store.js';
import { freshPostgresUrl, PG_TEST_URL } from '../helpers/backend.js';
import { listAll, startServers, verifyWrites, writeConcurrently } from '../helpers/many-servers.js';
import type { ServeChild } from './child.js';
import { api } from './helpers.js';

/** Three `engram serve` processes on one PostgreSQL schema (the CI-sized version of scripts/many-servers.ts). */
describe('many servers, one PostgreSQL database', () => {
  const appName = `engram-many-${process.pid}`;
  const db = (() => {
    const url = new URL(freshPostgresUrl('many'));
    url.searchParams.set('application_name', appName);
    return url.toString();
  })();
  let servers: ServeChild[] = [];
  const keys: Record<string, string> = {};

  before(async () => {
    // The first server creates the schema; the key store then writes keys every server will accept.
    servers = await startServers(db, 1);
    const keyStore = await openKeyStore(db);
    try {
      keys.a = (await keyStore.create({ tenant: 'tenant-a', role: 'admin' })).secret;
      keys.b = (await keyStore.create({ tenant: 'tenant-b', role: 'admin' })).secret;
    } finally {
      await keyStore.close();
    }
    servers.push(...(await startServers(db, 2)));
  });

  after(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  });

  test('a key created once works on every server', async () => {
    for (const s of servers) {
      const who = await api(s.url, 'GET', '/v1/whoami', { key: keys.a });
      assert.equal(who.status, 200);
      assert.equal(who.json.tenant, 'tenant-a');
    }
  });

  test('concurrent writes through all three lose nothing and duplicate nothing', async () => {
    const outcome = await writeConcurrently({ servers, key: keys.a!, clients: 12, writesPerClient: 25 });
    assert.deepEqual(outcome.failures, []);
    assert.equal(outcome.acknowledged.size, 300);
    for (const s of servers) {
      const stored = await listAll(s, keys.a!, ['user-0', 'user-1', 'user-2', 'user-3', 'user-4']);
      assert.deepEqual(verifyWrites(outcome, stored), { missing: 0, duplicated: 0, unexpected: 0 });
      assert.equal(stored.length, 300);
    }
  });

  test('what one server writes, the others find at once; tenants stay apart', async () => {
    const [a, b, c] = servers as [ServeChild, ServeChild, ServeChild];
    const written = await api(a.url, 'POST', '/v1/memories', {
      key: keys.a,
      body: { user: 'zoe', text: 'Zoe keeps a tortoise called Marmaduke' },
    });
    assert.equal(written.status, 201);
    for (const s of [b, c]) {
      const found = await api(s.url, 'POST', '/v1/search', {
        key: keys.a,
        body: { user: 'zoe', query: 'what is the name of the tortoise', k: 3 },
      });
      assert.equal(found.status, 200);
      assert.equal(found.json.hits[0]?.id, written.json.id);
    }
    const other = await api(c.url, 'POST', '/v1/search', {
      key: keys.b,
      body: { user: 'zoe', query: 'tortoise Marmaduke', k: 3 },
    });
    assert.deepEqual(other.json.hits, []);
    assert.equal((await api(b.url, 'GET', `/v1/memories/${written.json.id}`, { key: keys.b })).status, 404);
  });

  test('SIGTERM drains: each server exits cleanly and leaves no connection open', async () => {
    for (const s of servers) s.child.kill('SIGTERM');
    const exits = await Promise.all(servers.map((s) => s.exited));
    assert.deepEqual(
      exits.map((e) => e.code),
      [0, 0, 0],
    );
    for (const s of servers) assert.ok(s.logs.some((l) => l.msg === 'database closed; bye'));
    const client = new pg.Client({ connectionString: PG_TEST_URL });
    await client.connect();
    try {
      const open = await client.query(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
        [appName],
      );
      assert.equal(open.rows[0].n, 0);
    } finally {
      await client.end();
    }
  });
});
