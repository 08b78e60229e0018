import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Embedder } from '../../src/embed/types.js';
import { open } from '../../src/memory/open.js';
import { buildServer } from '../../src/server/app.js';
import { DEFAULT_CONFIG } from '../../src/server/config.js';
import { SqliteKeyStore } from '../../src/server/keys.js';
import { api, startTestServer, type TestServer, tempDir } from './helpers.js';

describe('bad input: malformed JSON, schema violations, limits', () => {
  let s: TestServer;
  let key: string;
  before(async () => {
    s = await startTestServer({ auth: 'keys', bodyLimit: 4096, maxTextLength: 200, maxBatch: 3 });
    key = await s.key('t', 'admin');
  });
  after(async () => {
    await s.stop();
  });

  const count = async () => (await api(s.url, 'GET', '/v1/stats', { key })).json.memories as number;

  test('malformed JSON is 400 INVALID_JSON', async () => {
    for (const raw of ['{"user": "u", "text": ', 'not json', '{"user":"u","text":"x"}}']) {
      const res = await api(s.url, 'POST', '/v1/memories', { key, raw });
      assert.equal(res.status, 400, raw);
      assert.equal(res.json.error.code, 'INVALID_JSON');
    }
    const empty = await api(s.url, 'POST', '/v1/memories', { key, raw: '' });
    assert.equal(empty.status, 400);
    assert.equal(await count(), 0);
  });

  test('schema violations are 400 INVALID_INPUT naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ text: 'no user' }, /user/],
      [{ user: 'u' }, /text/],
      [{ user: 'u', text: 42 }, /text/],
      [{ user: 'u', text: 'x', kind: 'rumour' }, /kind/],
      [{ user: 'u', text: 'x', importance: 3 }, /importance/],
      [{ user: 'u', text: 'x', metadata: [1, 2] }, /metadata/],
      [{ user: 'u', txt: 'typo' }, /txt/],
      [[{ user: 'u', text: 'array body' }], /expected object/i],
      ['a string', /expected object/i],
    ];
    for (const [body, field] of cases) {
      const res = await api(s.url, 'POST', '/v1/memories', { key, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.error.code, 'INVALID_INPUT');
      assert.match(res.json.error.message, field);
      assert.ok(Array.isArray(res.json.error.details.issues));
    }
    const search = await api(s.url, 'POST', '/v1/search', { key, body: { user: 'u', query: 'q', k: 0 } });
    assert.equal(search.status, 400);
    const list = await api(s.url, 'GET', '/v1/memories?limit=abc', { key });
    assert.equal(list.status, 400);
    const erase = await api(s.url, 'POST', '/v1/erase', { key, body: { id: 'x', user: 'u' } });
    assert.equal(erase.status, 400);
    assert.match(erase.json.error.message, /exactly one/);
    const patch = await api(s.url, 'PATCH', '/v1/memories/01ARZ3NDEKTSV4RRFFQ69G5FAV', { key, body: {} });
    assert.equal(patch.status, 400);
    assert.equal(await count(), 0);
  });

  test('engine rules come back with their own codes: EMPTY_TEXT, TEXT_TOO_LONG, INVALID_DATE', async () => {
    const empty = await api(s.url, 'POST', '/v1/memories', { key, body: { user: 'u', text: '   ' } });
    assert.equal(empty.status, 400);
    assert.equal(empty.json.error.code, 'EMPTY_TEXT');
    const long = await api(s.url, 'POST', '/v1/memories', {
      key,
      body: { user: 'u', text: 'x'.repeat(201) },
    });
    assert.equal(long.status, 400);
    assert.equal(long.json.error.code, 'TEXT_TOO_LONG');
    const date = await api(s.url, 'POST', '/v1/memories', {
      key,
      body: { user: 'u', text: 'x', occurredAt: 'yesterday-ish' },
    });
    assert.equal(date.status, 400);
    assert.equal(date.json.error.code, 'INVALID_DATE');
    assert.equal(await count(), 0);
  });

  test('a body over the limit is 413 PAYLOAD_TOO_LARGE; a batch over the limit too; nothing is stored', async () => {
    const big = await api(s.url, 'POST', '/v1/memories', {
      key,
      body: { user: 'u', text: 'y'.repeat(5000) },
    });
    assert.equal(big.status, 413);
    assert.equal(big.json.error.code, 'PAYLOAD_TOO_LARGE');
    const batch = await api(s.url, 'POST', '/v1/memories/batch', {
      key,
      body: { memories: [1, 2, 3, 4].map((i) => ({ user: 'u', text: `item ${i}` })) },
    });
    assert.equal(batch.status, 413);
    assert.equal(batch.json.error.code, 'PAYLOAD_TOO_LARGE');
    assert.match(batch.json.error.message, /at most 3/);
    const messages = await api(s.url, 'POST', '/v1/conversations', {
      key,
      body: { user: 'u', session: 's', messages: [1, 2, 3, 4].map((i) => ({ text: `m ${i}` })) },
    });
    assert.equal(messages.status, 413);
    assert.equal(await count(), 0);
  });

  test('one bad item rejects the whole batch', async () => {
    const res = await api(s.url, 'POST', '/v1/memories/batch', {
      key,
      body: {
        memories: [
          { user: 'u', text: 'fine' },
          { user: 'u', text: '' },
        ],
      },
    });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, 'EMPTY_TEXT');
    assert.equal(await count(), 0);
  });

  test('an unsupported content type is 415', async () => {
    const res = await api(s.url, 'POST', '/v1/memories', {
      key,
      raw: '<xml/>',
      contentType: 'application/xml',
    });
    assert.equal(res.status, 415);
    assert.equal(res.json.error.code, 'INVALID_INPUT');
  });
});

describe('request timeout', () => {
  test('a request slower than requestTimeoutMs is answered 503 TIMEOUT', async () => {
    const dir = tempDir();
    const slow: Embedder = {
      id: 'slow-test',
      dimensions: 2,
      async embed(texts) {
        await new Promise((r) => setTimeout(r, 600));
        return texts.map(() => new Float32Array([1, 0]));
      },
    };
    const engram = await open({ path: `${dir}/e.db`, embedder: slow });
    const keys = new SqliteKeyStore(`${dir}/e.db`);
    const { app } = await buildServer({
      engram,
      keys,
      config: { ...DEFAULT_CONFIG, db: `${dir}/e.db`, requestTimeoutMs: 100, logLevel: 'silent' },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = app.server.address() as { port: number };
      const res = await api(`http://127.0.0.1:${address.port}`, 'POST', '/v1/memories', {
        body: { user: 'u', text: 'slow' },
      });
      assert.equal(res.status, 503);
      assert.equal(res.json.error.code, 'TIMEOUT');
      assert.match(res.json.error.message, /check before retrying/);
    } finally {
      await app.close();
      await new Promise((r) => setTimeout(r, 700));
      keys.close();
      await engram.close();
    }
  });
});
