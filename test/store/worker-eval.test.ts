/**
 * The store's eval'd worker threads (checkpointer, read worker) run in any host: Node evaluates their code as an
 * ES module when the process runs with --input-type=module (an app's `node -e`), where `require` does not exist.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/cli.js';

test('the checkpointer thread works in a process started with --input-type=module', () => {
  const dir = tempDir('engram-worker-eval-');
  const src = join(import.meta.dirname, '..', '..', 'src', 'store', 'sqlite', 'checkpointer.ts');
  const script = `
import Database from 'better-sqlite3';
import { Checkpointer } from ${JSON.stringify(src)};
const path = ${JSON.stringify(join(dir, 'w.db'))};
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE t (x TEXT)');
const c = new Checkpointer(path);
c.request();
await c.close();
db.close();
console.log('done');
`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: join(import.meta.dirname, '..', '..'),
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'done');
  assert.doesNotMatch(r.stderr, /require is not defined/);
});
