/**
 * Erase while another process holds a read transaction (issue 12, item 3): the answer tells the truth —
 * `purged: false` with the reason while the reader holds the old pages, and the server keeps answering —
 * and the purge completes on its own once the reader is gone, which the test checks in the file's bytes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { monitorLoopBlocking, timed } from '../helpers/loop-block.js';
import { api, startTestServer } from '../server/helpers.js';
import { CHAOS, uniqueWord } from './settings.js';

function fileBytes(db: string): Buffer {
  return Buffer.concat([db, `${db}-wal`].filter(existsSync).map((p) => readFileSync(p)));
}

/** A reader in another process, in a read transaction until `release()`. */
async function openReader(db: string): Promise<{ release(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'helpers', 'reader-child.ts'), db], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (l) =>
      l === 'reading' ? resolve() : reject(new Error(l)),
    );
    void exited.then(() => reject(new Error('reader exited early')));
  });
  return {
    async release() {
      child.stdin!.write('done\n');
      await exited;
    },
  };
}

/** Waits until `check` holds, looking every 50 ms; fails after `ms`. */
async function eventually(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test(`erase with a reader open in another process (${CHAOS.eraseRounds} round(s))`, async (t) => {
  const s = await startTestServer({ logLevel: 'silent' });
  try {
    for (let round = 0; round < CHAOS.eraseRounds; round++) {
      const secret = `${uniqueWord(round)}secretberry`;
      const victim = `victim${round}`;
      for (let i = 0; i < 20; i++) {
        await api(s.url, 'POST', '/v1/memories', {
          body: { user: victim, text: `I keep ${secret} number ${i}` },
        });
        await api(s.url, 'POST', '/v1/memories', {
          body: { user: 'bystander', text: `tomato note ${round} ${i}` },
        });
      }
      assert.ok(fileBytes(s.db).includes(secret), 'precondition: the word is on disk');
      const reader = await openReader(s.db);
      const loop = monitorLoopBlocking();
      const probes = [];
      const erase = timed(() => api(s.url, 'POST', '/v1/erase', { body: { user: victim } }));
      let answered = false;
      void erase.finally(() => {
        answered = true;
      });
      while (!answered || probes.length < 2) {
        probes.push(await timed(() => fetch(`${s.url}/healthz`).then((r) => r.arrayBuffer())));
      }
      const { value: res, wallMs, ownMs } = await erase;
      const { maxBlockMs } = loop.stop();
      t.diagnostic(
        `round ${round}: erase answered in ${wallMs.toFixed(0)} ms (${ownMs.toFixed(0)} ms of work), ` +
          `longest loop block ${maxBlockMs.toFixed(1)} ms, ${probes.length} healthz probes`,
      );
      assert.equal(res.status, 200);
      assert.equal(res.json.erased, 20);
      assert.equal(res.json.purged, false);
      assert.match(res.json.reason, /read transaction/);
      // It said "not yet", and that is the truth: the reader's snapshot keeps the old pages on disk.
      assert.ok(fileBytes(s.db).includes(secret), 'the text is still on disk while the reader reads');
      assert.ok(maxBlockMs < 100, `erase blocked the event loop for ${maxBlockMs.toFixed(1)} ms`);
      assert.ok(wallMs < 5_000, `erase waited ${wallMs.toFixed(0)} ms (busy_timeout is 10 s)`);
      const search = await api(s.url, 'POST', '/v1/search', { body: { user: victim, query: secret } });
      assert.equal(search.json.hits.length, 0);

      await reader.release();
      await eventually(
        () => !fileBytes(s.db).includes(secret),
        5_000,
        'the purge completes after the reader',
      );
      const bytes = fileBytes(s.db);
      assert.equal(bytes.includes(`I keep ${secret}`), false);
      assert.ok(bytes.includes(`tomato note ${round} 7`), 'other users untouched');
      const again = await api(s.url, 'POST', '/v1/erase', { body: { user: victim } });
      assert.deepEqual(again.json, { erased: 0, purged: true });
    }
  } finally {
    await s.stop();
  }
});
