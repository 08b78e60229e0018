import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { testDb } from '../helpers/backend.js';
import { spawnServe } from './child.js';
import { api, engramBin, tempDir } from './helpers.js';

const dir = tempDir('engram-cli-');
after(() => rmSync(dir, { recursive: true, force: true }));

function engram(args: string[], cwd = dir, env: Record<string, string> = {}) {
  const bin = engramBin();
  const res = spawnSync(bin.command, [...bin.args, ...args], {
    cwd,
    env: { ...process.env, ENGRAM_DB: '', ENGRAM_CONFIG: '', ...env },
    encoding: 'utf8',
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

test('engram keys create | list | revoke, and the server honours them', async () => {
  const db = testDb(dir, 'keys.db');
  const created = engram([
    '--db',
    db,
    '--json',
    'keys',
    'create',
    '--tenant',
    'acme',
    '--role',
    'write',
    '--name',
    'ci',
  ]);
  assert.equal(created.status, 0, created.stderr);
  const key = JSON.parse(created.stdout);
  assert.match(key.secret, /^egk_/);
  assert.equal(key.tenant, 'acme');
  assert.equal(key.role, 'write');

  const human = engram(['--db', db, 'keys', 'create', '--tenant', 'acme', '--role', 'read']);
  assert.equal(human.status, 0);
  assert.match(human.stdout, /^egk_\S+\n/);
  assert.match(human.stdout, /not shown again/);

  const listed = engram(['--db', db, '--json', 'keys', 'list']);
  const keys = JSON.parse(listed.stdout) as { id: string; prefix: string; secret?: string }[];
  assert.equal(keys.length, 2);
  assert.ok(keys.every((k) => k.secret === undefined));
  assert.ok(!listed.stdout.includes(key.secret));
  assert.ok(keys.some((k) => k.id === key.id && key.secret.startsWith(k.prefix)));

  const server = await spawnServe(['--db', db, '--port', '0', '--embedder', 'none'], {}, dir);
  try {
    assert.ok(server.logs.some((l) => l.msg === 'engram server started' && l.auth === 'keys'));
    assert.equal((await api(server.url, 'GET', '/v1/whoami')).status, 401);
    const who = await api(server.url, 'GET', '/v1/whoami', { key: key.secret });
    assert.equal(who.json.tenant, 'acme');
    const revoked = engram(['--db', db, 'keys', 'revoke', key.id]);
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.match(revoked.stdout, /Revoked/);
    assert.equal((await api(server.url, 'GET', '/v1/whoami', { key: key.secret })).status, 401);
  } finally {
    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0);
  }
  assert.equal(engram(['--db', db, '--json', 'keys', 'list']).stdout.includes(key.id), false);
  assert.ok(engram(['--db', db, '--json', 'keys', 'list', '--all']).stdout.includes(key.id));

  const bad = engram(['--db', db, 'keys', 'create', '--tenant', 'acme', '--role', 'owner']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /use one of read, write, admin/);
  const missing = engram(['--db', db, 'keys', 'revoke', 'nope']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /No API key/);
});

test('engram serve: defaults to ./data/engram.db; flags beat env beat the config file', async () => {
  const cwd = join(dir, 'project');
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'engram.config.json'), JSON.stringify({ port: 1, embedder: 'none', rateLimit: 2 }));
  const server = await spawnServe(['--port', '0'], { ENGRAM_DB: '', ENGRAM_RATE_LIMIT: '3' }, cwd);
  try {
    const started = server.logs.find((l) => l.msg === 'engram server started');
    assert.equal(started?.db, join(cwd, 'data', 'engram.db'));
    assert.equal(started?.auth, 'none');
    assert.ok(server.logs.some((l) => l.level === 40 && /development mode/.test(String(l.msg))));
    // Rate limit 3 from the environment (over 2 from the file): the 4th request is refused.
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api(server.url, 'GET', '/v1/stats')).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  } finally {
    server.child.kill('SIGINT');
    assert.equal((await server.exited).code, 0);
  }
});

test('engram serve refuses a public interface without keys, and a busy port, with a clear message', async () => {
  const db = join(dir, 'refuse.db');
  const res = engram(['--db', db, 'serve', '--host', '0.0.0.0', '--port', '0', '--embedder', 'none']);
  assert.equal(res.status, 1);
  assert.match(res.stderr, /Refusing to serve on 0\.0\.0\.0 without API keys/);

  const first = await spawnServe(['--db', db, '--port', '0', '--embedder', 'none']);
  try {
    const port = new URL(first.url).port;
    const busy = engram(['--db', db, 'serve', '--port', port, '--embedder', 'none']);
    assert.equal(busy.status, 1);
    assert.match(busy.stderr, /already in use/);
  } finally {
    first.child.kill('SIGTERM');
    await first.exited;
  }
});
