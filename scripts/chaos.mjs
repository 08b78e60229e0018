#!/usr/bin/env node
// The chaos and fuzz suite alone: `npm run chaos` runs the CI setting (also part of `npm test`),
// `npm run chaos -- --long` the long one (100 SIGKILLs, 10x the fuzz runs, 1,000 idle sockets, 10 erase rounds),
// whose figures docs/reliability.md records. Diagnostics (the figures) are printed by the spec reporter.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const long = process.argv.includes('--long');
const files = readdirSync(join('test', 'chaos'))
  .filter((f) => f.endsWith('.test.ts'))
  .sort()
  .map((f) => join('test', 'chaos', f));
const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const started = Date.now();
const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  {
    stdio: 'inherit',
    env: { ...process.env, ENGRAM_TEST: '1', ...(long ? { ENGRAM_CHAOS_LONG: '1' } : {}) },
  },
);
process.stdout.write(
  `chaos suite (${long ? 'long' : 'CI'} setting): ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
);
process.exit(run.status ?? 1);
