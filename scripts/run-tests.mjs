#!/usr/bin/env node
// Builds once (the CLI tests spawn the compiled `engram`; the e2e tests load the built dashboard), then runs
// the test files with Node's test runner in two halves: every file on SQLite, then the backend-neutral files
// again on PostgreSQL (ENGRAM_TEST_BACKEND=postgres; each test gets a fresh schema of $ENGRAM_TEST_PG_URL,
// dropped afterwards). An unreachable PostgreSQL fails the run: the second half is never skipped.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Files that open their database through test/helpers/backend.ts and so run on either backend. */
const BOTH_BACKENDS = ['test/memory', 'test/stories', 'test/server', 'test/mcp', 'test/lifecycle'];
/** Files that already cover both backends themselves, or test SQLite files as such. */
const SQLITE_ONLY = new Set([
  'test/server/keys.test.ts',
  'test/server/many-servers.test.ts',
  'test/server/shutdown.test.ts',
  'test/lifecycle/cli.test.ts',
  // Greps a SQLite file and its WAL with a reader open; PostgreSQL's erasure: test/store/postgres-erase-bytes.test.ts.
  'test/chaos/erase-readers.test.ts',
]);

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function runFiles(files, env) {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
    { stdio: 'inherit', env: { ...process.env, ENGRAM_TEST: '1', ...env } },
  );
  return run.status ?? 1;
}

const args = process.argv.slice(2);
const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
if (args.length > 0) process.exit(runFiles(args, {}));

const pgUrl = process.env.ENGRAM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const reachable = spawnSync(
  process.execPath,
  [
    '-e',
    `const pg=require('pg');const c=new pg.Client(${JSON.stringify(pgUrl)});c.connect().then(()=>c.end()).catch((e)=>{console.error(e.message);process.exit(1)})`,
  ],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
if (reachable.status !== 0) {
  console.error(
    `\nPostgreSQL is not reachable at ${pgUrl}: the PostgreSQL tests cannot run, so the suite FAILS.`,
  );
  console.error(
    'Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set ENGRAM_TEST_PG_URL.\n',
  );
}

const t0 = Date.now();
const all = find('test').sort();
const sqliteStatus = runFiles(all, { ENGRAM_TEST_BACKEND: 'sqlite' });
const t1 = Date.now();
const pgFiles = all.filter((f) => BOTH_BACKENDS.some((d) => f.startsWith(`${d}/`)) && !SQLITE_ONLY.has(f));
console.log(`\n== PostgreSQL half: ${pgFiles.length} files again with ENGRAM_TEST_BACKEND=postgres ==\n`);
const pgStatus = runFiles(pgFiles, { ENGRAM_TEST_BACKEND: 'postgres', ENGRAM_TEST_PG_URL: pgUrl });
const t2 = Date.now();
console.log(
  `\nSQLite half: ${sqliteStatus === 0 ? 'passed' : 'FAILED'} in ${Math.round((t1 - t0) / 1000)} s; ` +
    `PostgreSQL half: ${pgStatus === 0 ? 'passed' : 'FAILED'} in ${Math.round((t2 - t1) / 1000)} s`,
);
process.exit(reachable.status !== 0 || sqliteStatus !== 0 || pgStatus !== 0 ? 1 : 0);
