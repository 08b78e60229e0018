/**
 * SIGKILL loops under concurrent HTTP writes: every acknowledged write is in the file exactly once, and
 * SQLite's and FTS5's integrity checks pass after every run (issue 12, chaos suite).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { open } from '../../src/memory/open.js';
import { spawnServe } from '../server/child.js';
import { tempDir } from '../server/helpers.js';
import { CHAOS, uniqueWord } from './settings.js';

const dir = tempDir('engram-chaos-kill-');
after(() => rmSync(dir, { recursive: true, force: true }));

interface Write {
  path: string;
  body: unknown;
  texts: string[];
}

/** One write of a random kind: a single memory, a batch, or a conversation (turns re-index neighbours). */
function nextWrite(n: () => number, round: number, writer: number): Write {
  const kind = n() % 3;
  const user = `u${writer % 3}`;
  const text = () => {
    const i = n();
    return `chaos round ${round} writer ${writer} item ${i} marker ${uniqueWord(i)}`;
  };
  if (kind === 0) {
    const t = text();
    return { path: '/v1/memories', body: { user, text: t }, texts: [t] };
  }
  if (kind === 1) {
    const texts = [text(), text(), text()];
    return { path: '/v1/memories/batch', body: { memories: texts.map((t) => ({ user, text: t })) }, texts };
  }
  const texts = [text(), text()];
  return {
    path: '/v1/conversations',
    body: {
      user,
      session: `r${round}w${writer}`,
      messages: texts.map((t, i) => ({ speaker: i === 0 ? 'Ann' : 'Bo', text: t })),
    },
    texts,
  };
}

test(`SIGKILL ${CHAOS.kills} times under ${CHAOS.writers} concurrent writers: no acknowledged write lost or doubled`, async (t) => {
  const db = join(dir, 'engram.db');
  const args = ['--db', db, '--port', '0', '--embedder', 'none', '--auth', 'none', '--rate-limit', '0'];
  const acknowledged = new Set<string>();
  const attempted = new Set<string>();
  let counter = 0;
  const n = () => counter++;
  let requests = 0;
  let failed = 0;
  for (let round = 0; round < CHAOS.kills; round++) {
    const server = await spawnServe(args);
    // Kill after a varying number of acknowledged requests, so kills land in every phase of a write.
    const killAfter = 5 + ((round * 7919) % 40);
    let acksThisRound = 0;
    let killed = false;
    await Promise.all(
      Array.from({ length: CHAOS.writers }, async (_, w) => {
        for (;;) {
          const write = nextWrite(n, round, w);
          for (const x of write.texts) attempted.add(x);
          requests += 1;
          let status = 0;
          try {
            const res = await fetch(server.url + write.path, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(write.body),
            });
            status = res.status;
            await res.arrayBuffer();
          } catch {
            failed += 1;
            return; // the server is gone
          }
          if (status !== 201) {
            failed += 1;
            return;
          }
          for (const x of write.texts) acknowledged.add(x);
          acksThisRound += 1;
          if (!killed && acksThisRound >= killAfter) {
            killed = true;
            server.child.kill('SIGKILL');
          }
        }
      }),
    );
    const exit = await server.exited;
    assert.equal(exit.signal, 'SIGKILL', `round ${round}: ${server.stderr.join('\n')}`);
  }

  const file = new Database(db);
  let counts: Map<string, number>;
  try {
    assert.equal(file.pragma('integrity_check', { simple: true }), 'ok');
    file.prepare("INSERT INTO memories_fts (memories_fts) VALUES ('integrity-check')").run();
    const rows = file
      .prepare("SELECT text, count(*) AS n FROM memories WHERE text LIKE 'chaos round %' GROUP BY text")
      .all() as {
      text: string;
      n: number;
    }[];
    counts = new Map(rows.map((r) => [r.text, r.n]));
    const indexed = (file.prepare('SELECT count(*) AS n FROM memories_fts').get() as { n: number }).n;
    const stored = (file.prepare('SELECT count(*) AS n FROM memories').get() as { n: number }).n;
    assert.equal(indexed, stored, 'one full-text row per memory');
  } finally {
    file.close();
  }
  const lost = [...acknowledged].filter((x) => counts.get(x) !== 1);
  const doubled = [...counts].filter(([, c]) => c > 1);
  const unacknowledgedStored = [...counts.keys()].filter((x) => !acknowledged.has(x)).length;
  t.diagnostic(
    `kills=${CHAOS.kills} requests=${requests} failedOrCut=${failed} acknowledgedMemories=${acknowledged.size} ` +
      `attemptedMemories=${attempted.size} stored=${counts.size} unacknowledgedButStored=${unacknowledgedStored} ` +
      `lost=${lost.length} doubled=${doubled.length}`,
  );
  assert.deepEqual(lost, []);
  assert.deepEqual(doubled, []);
  assert.ok(acknowledged.size >= CHAOS.kills * 5);

  // The full-text index finds what it holds: a sample of acknowledged writes by their unique word.
  const memory = await open({ path: db, embedder: 'none' });
  try {
    const sample = [...acknowledged].filter((_, i) => i % Math.ceil(acknowledged.size / 25) === 0);
    for (const text of sample) {
      const marker = text.split(' ').at(-1)!;
      const user = `u${Number(/writer (\d+)/.exec(text)![1]) % 3}`;
      const hits = await memory.search(marker, { user, k: 3, mode: 'bm25', reinforce: false });
      assert.equal(hits[0]?.text, text, `search for ${marker}`);
    }
  } finally {
    await memory.close();
  }
});
