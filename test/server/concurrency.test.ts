import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storedRows } from '../helpers/backend.js';
import { api, startTestServer, type TestServer } from './helpers.js';

const CLIENTS = 50;
const PER_CLIENT = 20;

describe('concurrent writers', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ auth: 'keys' });
  });
  after(async () => {
    await s.stop();
  });

  test(`${CLIENTS} clients writing ${PER_CLIENT} memories each: all stored, none duplicated`, async () => {
    const key = await s.key('load', 'write');
    const acknowledged: string[] = [];
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = 0; i < PER_CLIENT; i++) {
          const res = await api(s.url, 'POST', '/v1/memories', {
            key,
            body: { user: `user-${c % 5}`, text: `client ${c} memory ${i}: the number is ${c * 1000 + i}` },
          });
          if (res.status === 201) acknowledged.push(res.json.id);
          else failures.push(`${res.status} ${res.text}`);
        }
      }),
    );
    assert.deepEqual(failures, []);
    assert.equal(acknowledged.length, CLIENTS * PER_CLIENT);
    assert.equal(new Set(acknowledged).size, CLIENTS * PER_CLIENT);

    // Read the database directly, not through the server: what is stored is what counts.
    const rows = await storedRows(s.db, 'load');
    assert.equal(rows.length, CLIENTS * PER_CLIENT);
    assert.equal(new Set(rows.map((r) => r.text)).size, CLIENTS * PER_CLIENT);
    assert.deepEqual(new Set(rows.map((r) => r.id)), new Set(acknowledged));
    const stats = await api(s.url, 'GET', '/v1/stats', { key });
    assert.equal(stats.json.memories, CLIENTS * PER_CLIENT);
  });
});
