import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { httpClient, textOf } from '../mcp/helpers.js';
import { api, startTestServer, type TestServer } from './helpers.js';

/*
 * One user's two weeks, told on two days; asked "as of" the first one. REST search and context, and MCP
 * recall and get_context, all take asOf: later memories are hidden and "yesterday" means the day before it.
 */
describe('as-of and event times through REST and MCP', () => {
  let s: TestServer;
  let key: string;
  const call = (method: string, path: string, body?: unknown) => api(s.url, method, path, { key, body });

  before(async () => {
    s = await startTestServer({ auth: 'keys' });
    key = await s.key('asof', 'admin');
    const res = await call('POST', '/v1/conversations', {
      user: 'ivo',
      session: 'week-1',
      messages: [
        {
          speaker: 'Ivo',
          text: 'Yesterday I planted tomatoes in the allotment.',
          at: '2024-04-10T18:00:00Z',
        },
      ],
    });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    const later = await call('POST', '/v1/conversations', {
      user: 'ivo',
      session: 'week-2',
      messages: [
        { speaker: 'Ivo', text: 'Yesterday I planted beans next to them.', at: '2024-04-17T18:00:00Z' },
      ],
    });
    assert.equal(later.status, 201, JSON.stringify(later.json));
  });
  after(async () => {
    await s.stop();
  });

  test('POST /v1/search with asOf: later memories hidden, "yesterday" relative to asOf, eventTimes on hits', async () => {
    const res = await call('POST', '/v1/search', {
      user: 'ivo',
      query: 'what did Ivo plant yesterday?',
      asOf: '2024-04-11T09:00:00Z',
      k: 5,
    });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    const hits = res.json.hits as {
      id: string;
      text: string;
      occurredAt: string;
      eventTimes: { start: string }[];
    }[];
    assert.ok(hits.length > 0);
    assert.ok(
      hits.every((h) => h.occurredAt < '2024-04-11T09:00:00Z'),
      JSON.stringify(hits),
    );
    const turn = hits.find((h) => h.text.startsWith('Yesterday I planted tomatoes'))!;
    assert.deepEqual(
      turn.eventTimes.map((e) => e.start),
      ['2024-04-09'],
    );
    const got = await call('GET', `/v1/memories/${turn.id}`);
    assert.deepEqual(got.json.eventTimes, [
      { text: 'Yesterday', start: '2024-04-09', end: '2024-04-10', granularity: 'day' },
    ]);
  });

  test('POST /v1/context with asOf quotes only what was known then', async () => {
    const res = await call('POST', '/v1/context', {
      user: 'ivo',
      query: 'what did Ivo plant?',
      asOf: '2024-04-11T09:00:00Z',
    });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.match(res.json.context, /tomatoes/);
    assert.doesNotMatch(res.json.context, /beans/);
    assert.match(res.json.context, /happened 2024-04-09/);
  });

  test('MCP recall and get_context take asOf', async () => {
    const client = await httpClient(s.url, key);
    try {
      const recalled = textOf(
        await client.callTool({
          name: 'recall',
          arguments: { user: 'ivo', query: 'what did Ivo plant?', asOf: '2024-04-11T09:00:00Z' },
        }),
      );
      assert.match(recalled, /tomatoes/);
      assert.doesNotMatch(recalled, /beans/);
      const context = textOf(
        await client.callTool({
          name: 'get_context',
          arguments: { user: 'ivo', query: 'what did Ivo plant?', asOf: '2024-04-11T09:00:00Z' },
        }),
      );
      assert.match(context, /tomatoes/);
      assert.doesNotMatch(context, /beans/);
    } finally {
      await client.close();
    }
  });
});
