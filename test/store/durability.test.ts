import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { open } from '../../src/index.js';
import { tempDir } from '../helpers/cli.js';

const CHILD = join('test', 'helpers', 'writer-child.ts');

function writer(
  db: string,
  user: string,
  count: number,
  batch = 1,
): { child: ChildProcess; ids: string[]; done: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, db, user, String(count), String(batch)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ids: string[] = [];
  let buf = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    ids.push(...lines.filter(Boolean));
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const done = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(err);
      resolve(code);
    }),
  );
  return { child, ids, done };
}

describe('durability across processes', () => {
  it('two processes adding 500 memories each to one file lose none', async () => {
    const db = join(tempDir('engram-conc-'), 'c.db');
    // Create the schema first so both writers open an existing database.
    await (await open({ path: db, embedder: 'none' })).close();
    const a = writer(db, 'alice', 500);
    const b = writer(db, 'bob', 500);
    assert.deepEqual(await Promise.all([a.done, b.done]), [0, 0]);
    assert.equal(a.ids.length, 500);
    assert.equal(b.ids.length, 500);
    const e = await open({ path: db, embedder: 'none' });
    const stats = await e.stats();
    assert.equal(stats.memories, 1000);
    for (const id of [...a.ids, ...b.ids]) assert.ok(await e.get(id));
    assert.equal(new Set([...a.ids, ...b.ids]).size, 1000);
    await e.close();
  });

  it('a process killed with SIGKILL mid-ingest keeps every acknowledged write and a consistent file', async () => {
    const db = join(tempDir('engram-kill-'), 'k.db');
    const w = writer(db, 'carol', 100_000, 20);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (w.ids.length >= 1000) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    w.child.kill('SIGKILL');
    assert.equal(await w.done, null);
    const acknowledged = [...w.ids];
    assert.ok(acknowledged.length >= 1000 && acknowledged.length < 100_000);

    const raw = new Database(db, { readonly: true });
    assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
    raw.close();
    const e = await open({ path: db, embedder: 'none' });
    const stats = await e.stats();
    assert.ok(stats.memories >= acknowledged.length);
    // Every committed row is complete: its full-text entry and history were in the same transaction.
    for (const id of acknowledged) {
      const m = await e.get(id);
      assert.equal(m.user, 'carol');
    }
    assert.equal(stats.historyEntries, stats.memories);
    const hits = await e.search('quick brown fox', { user: 'carol', k: 5, mode: 'bm25' });
    assert.equal(hits.length, 5);
    await e.close();
  });
});
