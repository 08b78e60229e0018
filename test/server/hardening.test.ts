/**
 * Regressions of issue 12 at the HTTP edge: nesting depth, socket timeouts, Node's own error answers,
 * failed-auth and MCP batch rate limits, framing headers.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { MAX_BODY_DEPTH, MAX_METADATA_DEPTH } from '../../src/core/json-depth.js';
import { DEFAULT_CONFIG } from '../../src/server/config.js';
import { httpClient, textOf } from '../mcp/helpers.js';
import { api, startTestServer, type TestServer } from './helpers.js';

/** `{"a": {"a": … {} }}` nested `depth` levels (`{}` is 1), built as a string so building cannot overflow. */
export function nestedJson(depth: number): string {
  return '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
}

function assertStandardError(res: { status: number; json: unknown }, status: number, code?: string): void {
  assert.equal(res.status, status);
  const body = res.json as { error?: { code?: unknown; message?: unknown } };
  assert.equal(typeof body?.error?.code, 'string', JSON.stringify(res.json));
  assert.equal(typeof body?.error?.message, 'string');
  if (code) assert.equal(body.error?.code, code);
}

describe('nesting depth limit', () => {
  let s: TestServer;
  let key: string;
  before(async () => {
    s = await startTestServer({ auth: 'keys' });
    key = await s.key('deep', 'admin');
  });
  after(async () => {
    await s.stop();
  });

  test('the limits are the documented values', () => {
    assert.equal(MAX_METADATA_DEPTH, 400);
    assert.equal(MAX_BODY_DEPTH, 410);
  });

  test('metadata one level past the limit is a 400 on every write route; at the limit it is stored', async () => {
    const ok = nestedJson(MAX_METADATA_DEPTH);
    const deep = nestedJson(MAX_METADATA_DEPTH + 1);
    const stored = await api(s.url, 'POST', '/v1/memories', {
      key,
      raw: `{"user":"u","text":"at the limit","metadata":${ok}}`,
    });
    assert.equal(stored.status, 201, stored.text);
    const id = stored.json.id as string;
    const cases: [string, string, string][] = [
      ['POST', '/v1/memories', `{"user":"u","text":"x","metadata":${deep}}`],
      ['POST', '/v1/memories/batch', `{"memories":[{"user":"u","text":"x","metadata":${deep}}]}`],
      ['PATCH', `/v1/memories/${id}`, `{"metadata":${deep}}`],
      [
        'POST',
        '/v1/conversations',
        `{"user":"u","session":"s","messages":[{"text":"x","metadata":${deep}}]}`,
      ],
    ];
    for (const [method, path, raw] of cases) {
      const res = await api(s.url, method, path, { key, raw });
      assertStandardError(res, 400, 'INVALID_INPUT');
      assert.match(res.json.error.message, /deeper than 400 levels/, path);
    }
    const line = JSON.parse(
      (await api(s.url, 'GET', '/v1/export', { key })).text.trim().split('\n')[0]!,
    ) as Record<string, unknown>;
    const importLine = JSON.stringify({ ...line, id: '01J0000000000000000000DEEP', metadata: {} }).replace(
      '"metadata":{}',
      `"metadata":${deep}`,
    );
    const imp = await api(s.url, 'POST', '/v1/import', {
      key,
      raw: importLine,
      contentType: 'application/x-ndjson',
    });
    assertStandardError(imp, 400, 'INVALID_INPUT');
    assert.match(imp.json.error.message, /deeper than 400 levels/);
  });

  test('any body nested past the body limit is a 400, whatever the route', async () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    for (const [method, path] of [
      ['POST', '/v1/search'],
      ['POST', '/v1/context'],
      ['POST', '/v1/erase'],
      ['POST', '/v1/maintain'],
      ['POST', '/mcp'],
    ] as const) {
      const res = await api(s.url, method, path, {
        key,
        raw: `{"user":"u","query":"q","x":${deep}}`,
        headers: { accept: 'application/json, text/event-stream' },
      });
      assertStandardError(res, 400, 'INVALID_INPUT');
      assert.match(res.json.error.message, /deeper than 410 levels/, path);
    }
  });

  test('MCP remember answers a tool error naming the limit', async () => {
    const client = await httpClient(s.url, key);
    try {
      const res = await client.callTool({
        name: 'remember',
        arguments: { user: 'u', text: 'deep', metadata: JSON.parse(nestedJson(MAX_METADATA_DEPTH + 1)) },
      });
      assert.equal(res.isError, true);
      assert.match(textOf(res), /INVALID_INPUT.*deeper than 400 levels/);
    } finally {
      await client.close();
    }
  });
});

/** Opens a raw TCP connection and resolves with everything the server sent once it closes the socket. */
function rawConnection(url: string): { socket: Socket; closed: Promise<string> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    received += d;
  });
  const closed = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(received));
    socket.on('error', () => undefined);
  });
  return { socket, closed };
}

function bodyOf(raw: string): { status: number; json: unknown } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  return { status, json: body ? JSON.parse(body) : null };
}

describe('slow and idle clients are cut at the configured times', () => {
  let s: TestServer;
  const t = { headersTimeoutMs: 400, receiveTimeoutMs: 800, keepAliveTimeoutMs: 300 };
  before(async () => {
    s = await startTestServer({ ...t, logLevel: 'silent' });
  });
  after(async () => {
    await s.stop();
  });

  test('the defaults are the documented values', () => {
    assert.equal(DEFAULT_CONFIG.headersTimeoutMs, 10_000);
    assert.equal(DEFAULT_CONFIG.receiveTimeoutMs, 35_000);
    assert.equal(DEFAULT_CONFIG.keepAliveTimeoutMs, 5_000);
    assert.equal(DEFAULT_CONFIG.failedAuthLimit, 30);
  });

  test('headers that never finish: 408 in the standard shape, within the headers timeout (+ margin)', async () => {
    const started = performance.now();
    const { socket, closed } = rawConnection(s.url);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    const res = bodyOf(await closed);
    const ms = performance.now() - started;
    assertStandardError(res, 408, 'TIMEOUT');
    assert.ok(ms >= t.headersTimeoutMs - 50 && ms < t.headersTimeoutMs + 1_500, `cut after ${ms} ms`);
  });

  test('a connection that sends nothing is cut at the headers timeout', async () => {
    const started = performance.now();
    const { closed } = rawConnection(s.url);
    await closed;
    const ms = performance.now() - started;
    assert.ok(ms < t.headersTimeoutMs + 1_500, `cut after ${ms} ms`);
  });

  test('a body that trickles: 408 within the receive timeout (+ margin)', async () => {
    const started = performance.now();
    const { socket, closed } = rawConnection(s.url);
    socket.write(
      'POST /v1/memories HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user":',
    );
    const res = bodyOf(await closed);
    const ms = performance.now() - started;
    assertStandardError(res, 408, 'TIMEOUT');
    assert.ok(ms >= t.receiveTimeoutMs - 50 && ms < t.receiveTimeoutMs + 1_500, `cut after ${ms} ms`);
  });

  test('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const { socket, closed } = rawConnection(s.url);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const started = performance.now();
    const raw = await closed;
    const ms = performance.now() - started;
    assert.match(raw, /^HTTP\/1\.1 200/);
    assert.ok(ms < t.keepAliveTimeoutMs + 1_500, `closed after ${ms} ms`);
  });

  test("Node's own 400 and Fastify's 414 use the standard shape", async () => {
    const { socket, closed } = rawConnection(s.url);
    socket.write('NOT HTTP AT ALL\r\n\r\n');
    assertStandardError(bodyOf(await closed), 400, 'INVALID_INPUT');
    const long = await api(s.url, 'GET', `/v1/memories/${'x'.repeat(300)}`);
    assertStandardError(long, 414);
    const bad = rawConnection(s.url);
    bad.socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`);
    assertStandardError(bodyOf(await bad.closed), 431);
  });
});

describe('rate limits: failed authentication, MCP batches', () => {
  let s: TestServer;
  let key: string;
  before(async () => {
    s = await startTestServer({ auth: 'keys', failedAuthLimit: 5, rateLimit: 20, logLevel: 'silent' });
    key = await s.key('rl', 'write');
  });
  after(async () => {
    await s.stop();
  });

  test('wrong keys from one address get 429 after the failed-auth limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await api(s.url, 'GET', '/v1/stats', { key: `egk_wrong${i}` })).status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
    const limited = await api(s.url, 'GET', '/v1/stats', { key: 'egk_wrong' });
    assertStandardError(limited, 429, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    // A good key is not affected by someone else's failures.
    assert.equal((await api(s.url, 'GET', '/v1/stats', { key })).status, 200);
  });

  test('an MCP batch counts each call against the rate limit', async () => {
    const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/list', params: {} });
    const headers = { accept: 'application/json, text/event-stream' };
    const batch = await api(s.url, 'POST', '/mcp', {
      key,
      raw: JSON.stringify(Array.from({ length: 100 }, (_, i) => call(i))),
      headers,
    });
    assertStandardError(batch, 429, 'RATE_LIMITED');
  });
});

describe('framing', () => {
  test("the dashboard may not be framed (frame-ancestors 'none')", async () => {
    const s = await startTestServer({ logLevel: 'silent' });
    try {
      const res = await api(s.url, 'GET', '/');
      assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
    } finally {
      await s.stop();
    }
  });
});

describe('read keys change nothing', () => {
  test('searches, contexts and MCP recalls with a read key leave accessCount and lastAccessedAt alone', async () => {
    const s = await startTestServer({ auth: 'keys', logLevel: 'silent' });
    try {
      const writer = await s.key('ro', 'write');
      const reader = await s.key('ro', 'read');
      const added = await api(s.url, 'POST', '/v1/memories', {
        key: writer,
        body: { user: 'una', text: 'Una collects vinyl records', kind: 'fact' },
      });
      const before = (await api(s.url, 'GET', `/v1/memories/${added.json.id}`, { key: reader })).json;
      const search = await api(s.url, 'POST', '/v1/search', {
        key: reader,
        body: { user: 'una', query: 'vinyl records' },
      });
      assert.equal(search.json.hits.length, 1);
      const context = await api(s.url, 'POST', '/v1/context', {
        key: reader,
        body: { user: 'una', query: 'vinyl' },
      });
      assert.deepEqual(context.json.ids, [added.json.id]);
      const client = await httpClient(s.url, reader);
      try {
        assert.match(
          textOf(await client.callTool({ name: 'recall', arguments: { user: 'una', query: 'vinyl' } })),
          /vinyl/,
        );
        await client.callTool({ name: 'get_context', arguments: { user: 'una', query: 'vinyl' } });
      } finally {
        await client.close();
      }
      const after = (await api(s.url, 'GET', `/v1/memories/${added.json.id}`, { key: reader })).json;
      assert.equal(after.accessCount, before.accessCount);
      assert.equal(after.lastAccessedAt, before.lastAccessedAt);
      assert.equal(after.strength, before.strength);
      assert.equal(after.updatedAt, before.updatedAt);
      // A write key's search still records the recall.
      await api(s.url, 'POST', '/v1/search', { key: writer, body: { user: 'una', query: 'vinyl records' } });
      const recalled = (await api(s.url, 'GET', `/v1/memories/${added.json.id}`, { key: reader })).json;
      assert.equal(recalled.accessCount, before.accessCount + 1);
    } finally {
      await s.stop();
    }
  });
});

describe('import does not reveal ids of other tenants', () => {
  test('an id held by another tenant is imported under a new id, answered like any import', async () => {
    const s = await startTestServer({ auth: 'keys', logLevel: 'silent' });
    try {
      const a = await s.key('tenant-a', 'admin');
      const b = await s.key('tenant-b', 'admin');
      const theirs = await api(s.url, 'POST', '/v1/memories', {
        key: b,
        body: { user: 'x', text: 'B keeps this' },
      });
      const line = (await api(s.url, 'GET', '/v1/export', { key: b })).text.trim();
      const fresh = JSON.stringify({ ...JSON.parse(line), id: '01J00000000000000000000NEW' });
      const probe = await api(s.url, 'POST', '/v1/import', {
        key: a,
        raw: line,
        contentType: 'application/x-ndjson',
      });
      const control = await api(s.url, 'POST', '/v1/import', {
        key: a,
        raw: fresh,
        contentType: 'application/x-ndjson',
      });
      assert.equal(probe.status, control.status);
      assert.deepEqual(probe.json, control.json);
      assert.deepEqual(probe.json, { imported: 1 });
      const mine = (await api(s.url, 'GET', '/v1/memories?user=x', { key: a })).json.items as {
        id: string;
      }[];
      assert.equal(mine.length, 2);
      assert.ok(!mine.some((m) => m.id === theirs.json.id), 'A never gets B’s id');
      const still = await api(s.url, 'GET', `/v1/memories/${theirs.json.id}`, { key: b });
      assert.equal(still.json.tenant, 'tenant-b');
      assert.equal(still.json.text, 'B keeps this');
      // Importing an id of one's own tenant is still a conflict.
      const own = await api(s.url, 'POST', '/v1/import', {
        key: b,
        raw: line,
        contentType: 'application/x-ndjson',
      });
      assert.equal(own.status, 409);
    } finally {
      await s.stop();
    }
  });
});
