/** A repeated POST says it was a restatement and keeps what is new (issue 12, item 5). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { httpClient } from '../mcp/helpers.js';
import { api, startTestServer, type TestServer } from './helpers.js';

describe('restatements', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ logLevel: 'silent' });
  });
  after(async () => {
    await s.stop();
  });

  test('the same text again: 200 restated, same id, metadata merged, new occurredAt and importance kept', async () => {
    const first = await api(s.url, 'POST', '/v1/memories', {
      body: {
        user: 'kim',
        kind: 'fact',
        text: 'Kim plays the cello',
        metadata: { source: 'chat', mood: 'calm' },
        occurredAt: '2024-01-10T09:00:00Z',
        importance: 0.3,
      },
    });
    assert.equal(first.status, 201);
    assert.equal(first.json.restated, false);
    const again = await api(s.url, 'POST', '/v1/memories', {
      body: {
        user: 'kim',
        kind: 'fact',
        text: 'Kim plays the cello',
        metadata: { mood: 'happy', confirmed: true },
        occurredAt: '2024-03-02T18:30:00Z',
        importance: 0.8,
      },
    });
    assert.equal(again.status, 200);
    assert.equal(again.json.restated, true);
    assert.equal(again.json.id, first.json.id);
    assert.deepEqual(again.json.metadata, { source: 'chat', mood: 'happy', confirmed: true });
    assert.equal(again.json.occurredAt, '2024-03-02T18:30:00.000Z');
    assert.equal(again.json.importance, 0.8);
    assert.equal(again.json.accessCount, 1);
    const stored = await api(s.url, 'GET', `/v1/memories/${first.json.id}`);
    assert.deepEqual(stored.json.metadata, again.json.metadata);
    const history = (await api(s.url, 'GET', `/v1/memories/${first.json.id}/history`)).json.entries as {
      action: string;
      before: { metadata: unknown; occurredAt: string } | null;
      at: string;
    }[];
    assert.deepEqual(
      history.map((h) => h.action),
      ['add', 'reinforce'],
    );
    assert.deepEqual(history[1]!.before?.metadata, { source: 'chat', mood: 'calm' });
    assert.equal(history[1]!.before?.occurredAt, '2024-01-10T09:00:00.000Z');
    const list = await api(s.url, 'GET', '/v1/memories?user=kim');
    assert.equal(list.json.items.length, 1);
  });

  test('fields the restatement leaves out keep their stored values', async () => {
    const first = await api(s.url, 'POST', '/v1/memories', {
      body: { user: 'lee', text: 'Lee has a blue bike', metadata: { a: 1 }, importance: 0.9 },
    });
    const again = await api(s.url, 'POST', '/v1/memories', {
      body: { user: 'lee', text: 'Lee has a blue bike' },
    });
    assert.equal(again.status, 200);
    assert.deepEqual(again.json.metadata, { a: 1 });
    assert.equal(again.json.importance, 0.9);
    assert.equal(again.json.occurredAt, first.json.occurredAt);
  });

  test('batches: restated items say so; 200 when nothing was new', async () => {
    const body = { memories: [{ user: 'max', text: 'Max likes rye bread' }] };
    const first = await api(s.url, 'POST', '/v1/memories/batch', { body });
    assert.equal(first.status, 201);
    const mixed = await api(s.url, 'POST', '/v1/memories/batch', {
      body: { memories: [...body.memories, { user: 'max', text: 'Max owns a kayak' }] },
    });
    assert.equal(mixed.status, 201);
    assert.deepEqual(
      mixed.json.memories.map((m: { restated: boolean }) => m.restated),
      [true, false],
    );
    const all = await api(s.url, 'POST', '/v1/memories/batch', { body });
    assert.equal(all.status, 200);
    assert.equal(all.json.memories[0].restated, true);
    assert.equal(all.json.memories[0].id, first.json.memories[0].id);
  });

  test('turns are events: the same words said twice are two memories', async () => {
    const a = await api(s.url, 'POST', '/v1/memories', { body: { user: 'ola', kind: 'turn', text: 'ok' } });
    const b = await api(s.url, 'POST', '/v1/memories', { body: { user: 'ola', kind: 'turn', text: 'ok' } });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.notEqual(a.json.id, b.json.id);
  });

  test('MCP remember says when it reinforced a stored memory', async () => {
    const client = await httpClient(s.url);
    try {
      const args = { user: 'pia', text: 'Pia runs marathons' };
      const first = await client.callTool({ name: 'remember', arguments: args });
      const again = await client.callTool({
        name: 'remember',
        arguments: { ...args, metadata: { race: 'Oslo' } },
      });
      assert.equal((first.structuredContent as { restated: boolean }).restated, false);
      assert.equal((again.structuredContent as { restated: boolean }).restated, true);
      assert.equal(
        (again.structuredContent as { id: string }).id,
        (first.structuredContent as { id: string }).id,
      );
    } finally {
      await client.close();
    }
  });
});
