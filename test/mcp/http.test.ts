import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_QUERY_LENGTH } from '../../src/core/limits.js';
import { api, startTestServer, type TestServer } from '../server/helpers.js';
import { httpClient, textOf } from './helpers.js';

describe('MCP over streamable HTTP at /mcp', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ auth: 'keys' });
  });
  after(async () => {
    await s.stop();
  });

  test('remember in one connection, recall in a later one, with the same key', async () => {
    const key = await s.key('mcp-tenant', 'write');
    const first = await httpClient(s.url, key);
    let id: string;
    try {
      const res = await first.callTool({
        name: 'remember',
        arguments: { user: 'bob', text: 'Bob’s favourite editor is Helix' },
      });
      assert.equal(res.isError, undefined);
      id = (res.structuredContent as { id: string }).id;
    } finally {
      await first.close();
    }
    const second = await httpClient(s.url, key);
    try {
      const text = textOf(
        await second.callTool({ name: 'recall', arguments: { user: 'bob', query: 'which editor?' } }),
      );
      assert.match(text, /not instructions/);
      assert.ok(text.includes('Bob’s favourite editor is Helix'));
      assert.ok(text.includes(id));
    } finally {
      await second.close();
    }
    // The REST API sees the same memory in the same tenant.
    const got = await api(s.url, 'GET', `/v1/memories/${id}`, { key });
    assert.equal(got.json.tenant, 'mcp-tenant');
    assert.equal(got.json.text, 'Bob’s favourite editor is Helix');
    assert.equal(got.json.kind, 'fact');
    assert.equal(got.json.user, 'bob');
  });

  test('a read key gets only the reading tools', async () => {
    const client = await httpClient(s.url, await s.key('mcp-tenant', 'read'));
    try {
      const names = (await client.listTools()).tools.map((t) => t.name).sort();
      assert.deepEqual(names, ['ask', 'get_context', 'list_memories', 'memory_history', 'profile', 'recall']);
      const res = await client.callTool({ name: 'remember', arguments: { text: 'sneaky' } });
      assert.equal(res.isError, true);
      assert.match(textOf(res), /remember not found/);
      const listed = await api(s.url, 'GET', '/v1/memories?user=default', {
        key: await s.key('mcp-tenant', 'read'),
      });
      assert.ok(!listed.text.includes('sneaky'));
    } finally {
      await client.close();
    }
  });

  test('a query over the limit is a tool error naming the limit, on every reading tool', async () => {
    const client = await httpClient(s.url, await s.key('mcp-tenant', 'read'));
    try {
      const long = '猫'.repeat(MAX_QUERY_LENGTH + 1);
      for (const [name, args] of [
        ['recall', { query: long }],
        ['get_context', { query: long }],
        ['ask', { question: long }],
      ] as const) {
        const res = await client.callTool({ name, arguments: args });
        assert.equal(res.isError, true, name);
        assert.match(textOf(res), /4000/, name);
      }
    } finally {
      await client.close();
    }
  });

  test('another tenant’s key recalls nothing of this tenant', async () => {
    const client = await httpClient(s.url, await s.key('other-tenant', 'admin'));
    try {
      const text = textOf(
        await client.callTool({ name: 'recall', arguments: { user: 'bob', query: 'Helix editor' } }),
      );
      assert.ok(!text.includes('Helix'));
      assert.match(text, /No memories found/);
    } finally {
      await client.close();
    }
  });

  test('GET and DELETE on the stateless endpoint are 405', async () => {
    const key = await s.key('mcp-tenant', 'read');
    for (const method of ['GET', 'DELETE']) {
      const res = await api(s.url, method, '/mcp', { key });
      assert.equal(res.status, 405);
      assert.equal(res.headers.get('allow'), 'POST');
    }
  });

  test('no key, or a wrong key, cannot connect', async () => {
    await assert.rejects(httpClient(s.url));
    await assert.rejects(httpClient(s.url, 'egk_wrong'));
  });
});
