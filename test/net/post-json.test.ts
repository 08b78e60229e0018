import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EngramError } from '../../src/core/errors.js';
import { backoffDelay, retryAfterMs } from '../../src/net/backoff.js';
import { postJson } from '../../src/net/post-json.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../helpers/tiny-openai-server.js';

describe('backoffDelay', () => {
  it('doubles from the base, caps at the maximum, and jitters within the upper half', () => {
    const low = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0 };
    const high = { ...low, random: () => 0.999999 };
    assert.deepEqual(
      [0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, low)),
      [50, 100, 200, 400, 500, 500],
    );
    assert.ok(Math.abs(backoffDelay(2, high) - 400) < 0.01);
  });
});

describe('retryAfterMs', () => {
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '250' }), now), 250);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': '2' }), now), 2000);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': 'Wed, 01 May 2024 12:00:03 GMT' }), now), 3000);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now), null);
    assert.equal(retryAfterMs(new Headers(), now), null);
  });
});

describe('postJson', () => {
  let server: FakeOpenAIServer;
  before(async () => {
    server = await startFakeOpenAIServer();
  });
  after(async () => {
    await server.close();
  });

  it('waits what Retry-After asks (capped) between attempts, and backs off otherwise', async () => {
    server.queue(
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 500 },
      { status: 503, headers: { 'retry-after': '3600' } },
    );
    const waits: number[] = [];
    const answer = await postJson({
      url: `${server.url}/embeddings`,
      body: { model: 'm', input: ['x'] },
      errorCode: 'EMBEDDER_ERROR',
      what: 'embedding endpoint',
      baseDelayMs: 100,
      maxDelayMs: 60_000,
      random: () => 0,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    assert.deepEqual(waits, [7000, 100, 60_000]);
    assert.equal((answer as { data: unknown[] }).data.length, 1);
  });

  it('does not retry a 404 and suggests checking the URL', async () => {
    server.requests.length = 0;
    await assert.rejects(
      postJson({
        url: `${server.url}/nothing-here`,
        body: {},
        errorCode: 'LLM_ERROR',
        what: 'chat endpoint',
        sleep: async () => assert.fail('no retry expected'),
      }),
      (e: unknown) =>
        e instanceof EngramError &&
        e.code === 'LLM_ERROR' &&
        /HTTP 404: no route.*Check the base URL/.test(e.message),
    );
    assert.equal(server.requests.length, 1);
  });
});
