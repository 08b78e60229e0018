import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, startTestServer, type TestServer } from './helpers.js';

describe('structured logs', () => {
  let s: TestServer;
  let key: string;
  const TEXT = 'Zanzibar-7731 is the name of the secret project';
  before(async () => {
    s = await startTestServer({ auth: 'keys', logLevel: 'info' });
    key = await s.key('logs', 'admin');
  });
  after(async () => {
    await s.stop();
  });

  test('every log line is JSON; each request line has a request id, status, tenant and key', async () => {
    const res = await api(s.url, 'GET', '/v1/whoami', { key });
    const reqId = res.headers.get('x-request-id');
    assert.ok(reqId && reqId.length >= 8);
    const lines = s.logs.map((l) => JSON.parse(l));
    const line = lines.find((l) => l.reqId === reqId);
    assert.ok(line, 'a log line for the request');
    assert.equal(line.msg, 'request completed');
    assert.equal(line.status, 200);
    assert.equal(line.path, '/v1/whoami');
    assert.equal(line.tenant, 'logs');
    assert.equal(line.keyId, res.json.keyId);
  });

  test('a sane incoming X-Request-Id is kept; anything else is replaced', async () => {
    const kept = await api(s.url, 'GET', '/healthz', { headers: { 'x-request-id': 'client-trace-42' } });
    assert.equal(kept.headers.get('x-request-id'), 'client-trace-42');
    const replaced = await api(s.url, 'GET', '/healthz', {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    assert.notEqual(replaced.headers.get('x-request-id'), 'bad id with spaces');
  });

  test('memory text, queries and keys never appear in info logs', async () => {
    await api(s.url, 'POST', '/v1/memories', { key, body: { user: 'u', text: TEXT } });
    await api(s.url, 'POST', '/v1/search', { key, body: { user: 'u', query: 'Zanzibar-7731' } });
    await api(s.url, 'GET', '/v1/memories?user=u&cursor=Zanzibar-7731', { key });
    await api(s.url, 'POST', '/v1/memories', { key, body: { user: 'u', text: 'x'.repeat(40_000) + TEXT } });
    await api(s.url, 'POST', '/v1/memories', { key, raw: `{"user":"u","text":"${TEXT}"` });
    const all = s.logs.join('\n');
    assert.ok(s.logs.length > 5);
    assert.ok(!all.includes('Zanzibar-7731'), 'no memory text or query in logs');
    assert.ok(!all.includes(key), 'no API key in logs');
  });
});
