import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, startTestServer, type TestServer } from './helpers.js';

describe('tenant isolation: another tenant’s key sees nothing and changes nothing', () => {
  let s: TestServer;
  let a: string;
  let b: string;
  let ids: string[];
  const SECRET = 'Alice keeps the spare key under the blue flowerpot';

  const snapshotA = async () => {
    const list = await api(s.url, 'GET', '/v1/memories?user=alice&includeDeleted=true&includeArchived=true', {
      key: a,
    });
    const stats = await api(s.url, 'GET', '/v1/stats', { key: a });
    const histories = await Promise.all(
      ids.map((id) => api(s.url, 'GET', `/v1/memories/${id}/history`, { key: a })),
    );
    return {
      items: list.json.items.map((m: { id: string; text: string; status: string }) => [
        m.id,
        m.text,
        m.status,
      ]),
      memories: stats.json.memories,
      historyEntries: stats.json.historyEntries,
      histories: histories.map((h) => h.json.entries.length),
    };
  };

  before(async () => {
    s = await startTestServer({ auth: 'keys' });
    a = await s.key('tenant-a', 'admin');
    b = await s.key('tenant-b', 'admin');
    const res = await api(s.url, 'POST', '/v1/memories/batch', {
      key: a,
      body: {
        memories: [
          { user: 'alice', text: SECRET, kind: 'fact' },
          { user: 'alice', text: 'Alice was born in Porto', kind: 'fact' },
        ],
      },
    });
    assert.equal(res.status, 201);
    ids = res.json.memories.map((m: { id: string }) => m.id);
    // Tenant B has a user with the same name: names are per tenant.
    await api(s.url, 'POST', '/v1/memories', {
      key: b,
      body: { user: 'alice', text: 'B-side alice likes jazz' },
    });
  });
  after(async () => {
    await s.stop();
  });

  test('by id: get, update, delete and history are all 404, and A is unchanged', async () => {
    const before = await snapshotA();
    for (const id of ids) {
      for (const [method, path, body] of [
        ['GET', `/v1/memories/${id}`, undefined],
        ['PATCH', `/v1/memories/${id}`, { text: 'overwritten by B' }],
        ['DELETE', `/v1/memories/${id}`, undefined],
      ] as const) {
        const res = await api(s.url, method, path, { key: b, body });
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.json.error.code, 'NOT_FOUND');
        assert.ok(!res.text.includes(SECRET));
      }
      const history = await api(s.url, 'GET', `/v1/memories/${id}/history`, { key: b });
      assert.ok(history.status === 404 || (history.status === 200 && history.json.entries.length === 0));
      assert.ok(!history.text.includes(SECRET));
    }
    assert.deepEqual(await snapshotA(), before);
  });

  test('by list and search: B sees only its own alice', async () => {
    const list = await api(s.url, 'GET', '/v1/memories?user=alice&includeDeleted=true', { key: b });
    assert.deepEqual(
      list.json.items.map((m: { text: string }) => m.text),
      ['B-side alice likes jazz'],
    );
    const search = await api(s.url, 'POST', '/v1/search', {
      key: b,
      body: { user: 'alice', query: 'spare key flowerpot', k: 50 },
    });
    assert.equal(search.status, 200);
    assert.ok(search.json.hits.every((h: { memory: { tenant: string } }) => h.memory.tenant === 'tenant-b'));
    assert.ok(!search.text.includes(SECRET));
    const context = await api(s.url, 'POST', '/v1/context', {
      key: b,
      body: { user: 'alice', query: 'where is the spare key' },
    });
    assert.ok(!context.text.includes(SECRET));
    const stats = await api(s.url, 'GET', '/v1/stats', { key: b });
    assert.equal(stats.json.memories, 1);
  });

  test('by erase: B erasing A’s ids or user erases nothing', async () => {
    const before = await snapshotA();
    for (const id of ids) {
      const res = await api(s.url, 'POST', '/v1/erase', { key: b, body: { id } });
      assert.ok(
        res.status === 404 || (res.status === 200 && res.json.erased === 0),
        `erase ${id}: ${res.status}`,
      );
    }
    const byUser = await api(s.url, 'POST', '/v1/erase', { key: b, body: { user: 'alice' } });
    assert.equal(byUser.json.erased, 1, 'only B’s own alice');
    assert.deepEqual(await snapshotA(), before);
  });

  test('by export: B’s export holds none of A’s memories', async () => {
    await api(s.url, 'POST', '/v1/memories', { key: b, body: { user: 'bob', text: 'B memory for export' } });
    const res = await api(s.url, 'GET', '/v1/export', { key: b });
    assert.equal(res.status, 200);
    const lines = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(lines.length >= 1);
    assert.ok(lines.every((m: { tenant: string }) => m.tenant === 'tenant-b'));
    assert.ok(!res.text.includes(SECRET));
    const byUser = await api(s.url, 'GET', '/v1/export?user=alice', { key: b });
    assert.ok(!byUser.text.includes(SECRET));
  });

  test('a tenant named in the body is refused, not obeyed', async () => {
    const before = await snapshotA();
    const res = await api(s.url, 'POST', '/v1/memories', {
      key: b,
      body: { user: 'alice', text: 'planted by B', tenant: 'tenant-a' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, 'INVALID_INPUT');
    assert.match(res.json.error.message, /tenant always comes from the API key/);
    const search = await api(s.url, 'POST', '/v1/search', {
      key: b,
      body: { user: 'alice', query: 'spare key', tenant: 'tenant-a' },
    });
    assert.equal(search.status, 400);
    const query = await api(s.url, 'GET', '/v1/memories?user=alice&tenant=tenant-a', { key: b });
    assert.equal(query.status, 400);
    assert.deepEqual(await snapshotA(), before);
  });

  test('an import by B cannot touch A’s memories even with A’s ids', async () => {
    const before = await snapshotA();
    const exported = await api(s.url, 'GET', '/v1/export', { key: a });
    const forged = exported.text.replace(SECRET, 'forged by B');
    const res = await api(s.url, 'POST', '/v1/import', {
      key: b,
      raw: forged,
      contentType: 'application/x-ndjson',
    });
    assert.ok(!res.text.includes(SECRET));
    assert.deepEqual(await snapshotA(), before);
    const list = await api(s.url, 'GET', '/v1/memories?user=alice&includeDeleted=true', { key: b });
    // Ids held by another tenant are neither refused (that would reveal them) nor taken over: B's copies are
    // B's own memories under new ids, on every backend; A's stay as they were.
    assert.equal(res.status, 200);
    assert.ok(list.text.includes('forged by B'));
    assert.ok(!list.text.includes(SECRET));
    const aIds = new Set(before.items.map((item: string[]) => item[0]));
    for (const m of list.json.items as { id: string }[]) assert.ok(!aIds.has(m.id), 'B never holds A’s ids');
  });
});
