import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { spawnServe } from './child.js';
import { tempDir } from './helpers.js';

const CLIENTS = 50;
const PER_CLIENT = 20;
const SIGNAL_AFTER = 300;

const dir = tempDir('engram-shutdown-');
after(() => rmSync(dir, { recursive: true, force: true }));

test('SIGTERM under load: every acknowledged write is in the file after restart', async (t) => {
  const db = join(dir, 'engram.db');
  const args = ['--db', db, '--port', '0', '--embedder', 'none', '--auth', 'none', '--rate-limit', '0'];
  const server = await spawnServe(args);
  const acknowledged = new Map<string, string>();
  let attempted = 0;
  let refused = 0;
  let signalled = false;

  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; i < PER_CLIENT; i++) {
        const text = `client ${c} write ${i}`;
        attempted += 1;
        let res: Response;
        try {
          res = await fetch(`${server.url}/v1/memories`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ user: `u${c % 7}`, text }),
          });
        } catch {
          refused += 1;
          return; // connection refused or reset: the server is gone, this client stops
        }
        const body = await res.text().catch(() => '');
        if (res.status !== 201) {
          refused += 1;
          return;
        }
        acknowledged.set(JSON.parse(body).id, text);
        if (!signalled && acknowledged.size >= SIGNAL_AFTER) {
          signalled = true;
          server.child.kill('SIGTERM');
        }
      }
    }),
  );
  assert.ok(signalled, 'the signal was sent during the load');
  const exit = await server.exited;
  assert.equal(exit.code, 0, `clean exit; stderr: ${server.stderr.join('\n')}`);
  assert.ok(server.logs.some((l) => l.msg === 'database closed; bye'));
  assert.ok(acknowledged.size >= SIGNAL_AFTER);

  // The file is consistent and holds every acknowledged write.
  const file = new Database(db, { readonly: true });
  try {
    assert.equal((file.pragma('integrity_check') as { integrity_check: string }[])[0].integrity_check, 'ok');
  } finally {
    file.close();
  }
  const restarted = await spawnServe(args);
  try {
    const exported = await (await fetch(`${restarted.url}/v1/export`)).text();
    const stored = new Map<string, string>();
    for (const line of exported.trim().split('\n')) {
      const m = JSON.parse(line) as { id: string; text: string };
      stored.set(m.id, m.text);
    }
    const lost = [...acknowledged].filter(([id, text]) => stored.get(id) !== text);
    const texts = [...stored.values()];
    t.diagnostic(
      `clients=${CLIENTS} requests=${attempted} acknowledged=${acknowledged.size} refused=${refused} ` +
        `stored=${stored.size} lost=${lost.length}`,
    );
    assert.deepEqual(lost, []);
    assert.equal(new Set(texts).size, texts.length, 'no duplicates');
  } finally {
    restarted.child.kill('SIGTERM');
    await restarted.exited;
  }
});
