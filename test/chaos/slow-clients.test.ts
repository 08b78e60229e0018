/**
 * Slow and idle clients are cut at the configured times, many at once, while the server keeps answering
 * (issue 12, chaos suite). The defaults are checked against the documented values in
 * test/server/hardening.test.ts; here short values keep the run brief.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { api, startTestServer } from '../server/helpers.js';
import { CHAOS } from './settings.js';

const T = { headersTimeoutMs: 500, receiveTimeoutMs: 1_000, keepAliveTimeoutMs: 400 };
/** Node checks the timers every connectionsCheckingInterval (≤ 1/10 of the shorter timeout); plus scheduling. */
const MARGIN_MS = 1_500;

function closedAfter(socket: Socket, started: number): Promise<number> {
  return new Promise((resolve) => {
    socket.on('error', () => undefined);
    // Read (and drop) what arrives: a paused socket never sees the server's FIN, so it would never close.
    socket.resume();
    socket.on('close', () => resolve(performance.now() - started));
  });
}

test(`${CHAOS.idleSockets} idle, slow-header and slow-body clients at once are all cut in time`, async (t) => {
  const s = await startTestServer({ ...T, logLevel: 'silent' });
  try {
    const { hostname, port } = new URL(s.url);
    const kinds = ['idle', 'slow headers', 'slow body', 'kept alive'] as const;
    const clients = Array.from({ length: CHAOS.idleSockets }, (_, i) => {
      const kind = kinds[i % kinds.length]!;
      const socket = connect(Number(port), hostname);
      const started = performance.now();
      const closed = closedAfter(socket, started);
      socket.on('connect', () => {
        if (kind === 'slow headers') socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a');
        if (kind === 'slow body')
          socket.write(
            'POST /v1/memories HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{',
          );
        if (kind === 'kept alive') socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      });
      return { kind, closed };
    });
    // The server answers others while they hang on.
    const healthy = await api(s.url, 'GET', '/healthz');
    assert.equal(healthy.status, 200);
    const limit: Record<(typeof kinds)[number], number> = {
      idle: T.headersTimeoutMs,
      'slow headers': T.headersTimeoutMs,
      'slow body': T.receiveTimeoutMs,
      'kept alive': T.keepAliveTimeoutMs,
    };
    const worst: Record<string, number> = {};
    for (const c of clients) {
      const ms = await c.closed;
      worst[c.kind] = Math.max(worst[c.kind] ?? 0, ms);
      assert.ok(ms < limit[c.kind] + MARGIN_MS, `${c.kind} client closed after ${ms.toFixed(0)} ms`);
    }
    t.diagnostic(
      `latest close per kind (ms): ${JSON.stringify(Object.fromEntries(Object.entries(worst).map(([k, v]) => [k, Math.round(v)])))}`,
    );
  } finally {
    await s.stop();
  }
});
