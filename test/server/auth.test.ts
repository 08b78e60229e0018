import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/server/config.js';
import { startServer } from '../../src/server/start.js';
import { api, startTestServer, type TestServer, tempDir } from './helpers.js';

const ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
/** One call per protected operation, with the least role it needs. */
const OPERATIONS: {
  method: string;
  path: string;
  body?: unknown;
  raw?: string;
  role: 'read' | 'write' | 'admin';
}[] = [
  { method: 'POST', path: '/v1/memories', body: { user: 'u', text: 'role check' }, role: 'write' },
  {
    method: 'POST',
    path: '/v1/memories/batch',
    body: { memories: [{ user: 'u', text: 'batch' }] },
    role: 'write',
  },
  { method: 'GET', path: '/v1/memories?user=u', role: 'read' },
  { method: 'GET', path: `/v1/memories/${ID}`, role: 'read' },
  { method: 'PATCH', path: `/v1/memories/${ID}`, body: { text: 'x' }, role: 'write' },
  { method: 'DELETE', path: `/v1/memories/${ID}`, role: 'write' },
  { method: 'GET', path: `/v1/memories/${ID}/history`, role: 'read' },
  {
    method: 'POST',
    path: '/v1/conversations',
    body: { user: 'u', session: 's', messages: [{ text: 'hi' }] },
    role: 'write',
  },
  { method: 'POST', path: '/v1/search', body: { user: 'u', query: 'q' }, role: 'read' },
  { method: 'POST', path: '/v1/context', body: { user: 'u', query: 'q' }, role: 'read' },
  { method: 'GET', path: '/v1/entities?user=u', role: 'read' },
  { method: 'GET', path: '/v1/entities/Ana?user=u', role: 'read' },
  { method: 'POST', path: '/v1/erase', body: { user: 'nobody' }, role: 'admin' },
  { method: 'GET', path: '/v1/export', role: 'read' },
  { method: 'POST', path: '/v1/import', raw: '{}', role: 'admin' },
  { method: 'GET', path: '/v1/stats', role: 'read' },
  { method: 'GET', path: '/v1/whoami', role: 'read' },
  { method: 'POST', path: '/v1/maintain', body: { dryRun: true }, role: 'admin' },
  { method: 'POST', path: '/v1/reindex', role: 'admin' },
];

describe('API keys: 401 and 403', () => {
  let s: TestServer;
  const keys: Record<string, string> = {};

  before(async () => {
    // Dozens of requests without a valid key: the failed-auth limit is tested in hardening.test.ts.
    s = await startTestServer({ auth: 'keys', failedAuthLimit: 0 });
    for (const role of ['read', 'write', 'admin'] as const) keys[role] = await s.key('t1', role);
  });
  after(async () => {
    await s.stop();
  });

  test('every protected route answers 401 UNAUTHORIZED without a key and with a wrong one', async () => {
    for (const op of OPERATIONS) {
      for (const key of [undefined, 'egk_not-a-real-key', 'garbage']) {
        const res = await api(s.url, op.method, op.path, { key, body: op.body, raw: op.raw });
        assert.equal(res.status, 401, `${op.method} ${op.path} with key ${key}`);
        assert.equal(res.json.error.code, 'UNAUTHORIZED');
      }
    }
    const mcp = await api(s.url, 'POST', '/mcp', { body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
    assert.equal(mcp.status, 401);
  });

  test('a malformed Authorization header is 401 with a hint', async () => {
    const res = await api(s.url, 'GET', '/v1/stats', { headers: { authorization: `Token ${keys.read}` } });
    assert.equal(res.status, 401);
    assert.match(res.json.error.message, /Bearer/);
  });

  test('the X-API-Key header works like a bearer token', async () => {
    const res = await api(s.url, 'GET', '/v1/whoami', { headers: { 'x-api-key': keys.read } });
    assert.equal(res.status, 200);
    assert.equal(res.json.role, 'read');
  });

  test('under-privileged keys get 403 FORBIDDEN and change nothing', async () => {
    const seeded = await api(s.url, 'POST', '/v1/memories', {
      key: keys.admin,
      body: { user: 'u', text: 'seed' },
    });
    assert.equal(seeded.status, 201);
    const snapshot = async () => {
      const stats = await api(s.url, 'GET', '/v1/stats', { key: keys.admin });
      const list = await api(s.url, 'GET', '/v1/memories?user=u&includeDeleted=true', { key: keys.admin });
      return {
        memories: stats.json.memories,
        history: stats.json.historyEntries,
        texts: list.json.items.map((m: { text: string }) => m.text).sort(),
      };
    };
    const order = ['read', 'write', 'admin'];
    for (const role of ['read', 'write'] as const) {
      const before = await snapshot();
      for (const op of OPERATIONS.filter((o) => order.indexOf(o.role) > order.indexOf(role))) {
        const res = await api(s.url, op.method, op.path, {
          key: keys[role],
          body: op.path === '/v1/erase' ? { user: 'u' } : op.body,
          raw: op.raw,
          contentType: op.raw ? 'application/x-ndjson' : undefined,
        });
        assert.equal(res.status, 403, `${role} may not ${op.method} ${op.path}`);
        assert.equal(res.json.error.code, 'FORBIDDEN');
        assert.match(res.json.error.message, new RegExp(`"${op.role}" role`));
      }
      assert.deepEqual(await snapshot(), before, `denied ${role} calls changed nothing`);
    }
    for (const op of OPERATIONS) {
      for (const role of order.slice(order.indexOf(op.role)) as ('read' | 'write' | 'admin')[]) {
        const res = await api(s.url, op.method, op.path, {
          key: keys[role],
          body: op.body,
          raw: op.raw,
          contentType: op.raw ? 'application/x-ndjson' : undefined,
        });
        assert.ok(
          res.status !== 401 && res.status !== 403,
          `${role} may ${op.method} ${op.path}: got ${res.status}`,
        );
      }
    }
  });

  test('a revoked key is refused from the next request on', async () => {
    const created = await s.keys.create({ tenant: 't1', role: 'write', name: 'to revoke' });
    assert.equal((await api(s.url, 'GET', '/v1/whoami', { key: created.secret })).status, 200);
    await s.keys.revoke(created.key.id);
    const res = await api(s.url, 'POST', '/v1/memories', {
      key: created.secret,
      body: { user: 'u', text: 'late' },
    });
    assert.equal(res.status, 401);
    assert.equal(res.json.error.code, 'UNAUTHORIZED');
    const listed = await api(s.url, 'GET', '/v1/memories?user=u', { key: keys.read });
    assert.ok(!listed.json.items.some((m: { text: string }) => m.text === 'late'));
  });
});

describe('rate limit', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ auth: 'keys', rateLimit: 5 });
  });
  after(async () => {
    await s.stop();
  });

  test('a key over its limit gets 429 RATE_LIMITED with Retry-After; other keys are unaffected', async () => {
    const a = await s.key('t', 'read');
    const b = await s.key('t', 'read');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await api(s.url, 'GET', '/v1/whoami', { key: a })).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
    const limited = await api(s.url, 'GET', '/v1/whoami', { key: a });
    assert.equal(limited.json.error.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal((await api(s.url, 'GET', '/v1/whoami', { key: b })).status, 200);
  });
});

describe('development mode is loopback only', () => {
  test('no keys on a public interface: the server refuses to start', async () => {
    const dir = tempDir();
    await assert.rejects(
      startServer({
        ...DEFAULT_CONFIG,
        embedder: 'none',
        port: 0,
        host: '0.0.0.0',
        db: `${dir}/e.db`,
        logLevel: 'silent',
      }),
      (e: { code?: string; message?: string }) =>
        e.code === 'FORBIDDEN' && /without API keys/.test(e.message ?? ''),
    );
  });

  test('auto mode requires keys once one exists', async () => {
    const dir = tempDir();
    const first = await startTestServer({ auth: 'auto' }, dir);
    assert.equal(first.authRequired, false);
    const secret = await first.key('t', 'read');
    await first.close();
    await first.keys.close();
    const second = await startTestServer({ auth: 'auto', db: first.db }, dir);
    try {
      assert.equal(second.authRequired, true);
      assert.equal((await api(second.url, 'GET', '/v1/stats')).status, 401);
      assert.equal((await api(second.url, 'GET', '/v1/stats', { key: secret })).status, 200);
    } finally {
      await second.stop();
    }
  });
});
