#!/usr/bin/env node
// `npm run bench`: LoCoMo retrieval (with peers) on ../shared/data/locomo when present, and perf at 10k,
// through the built CLI; writes bench/results/latest.json plus Markdown reports with their SVG charts.
// Extra arguments go to `bench perf` (e.g. `npm run bench -- --sizes 10000,100000 --runs 5`);
// `--no-build` skips compiling dist/ first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'bench', 'results');
const locomo = resolve(root, '..', 'shared', 'data', 'locomo');
const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const perfArgs = args.filter((a) => a !== '--no-build');

function step(label, cmd, cmdArgs) {
  process.stderr.write(`bench: ${label}\n`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write(r.stdout ?? '');
    process.stderr.write(`bench: ${label} failed (exit ${r.status})\n`);
    process.exit(r.status ?? 1);
  }
  return r.stdout;
}

function engram(label, cliArgs) {
  const out = step(label, process.execPath, [join(root, 'bin', 'engram.js'), '--json', ...cliArgs]);
  return JSON.parse(out);
}

if (build) step('building dist/', 'npx', ['tsc', '-p', 'tsconfig.build.json']);
mkdirSync(results, { recursive: true });

const latest = { date: new Date().toISOString() };
if (existsSync(locomo)) {
  latest.locomo = engram(`LoCoMo retrieval on ${locomo}`, [
    'bench',
    'locomo',
    '--data',
    locomo,
    '--peers',
    '--out',
    join(results, 'locomo.md'),
  ]);
} else {
  process.stderr.write(`bench: ${locomo} not found, LoCoMo skipped\n`);
}
const sizes = perfArgs.includes('--sizes') ? [] : ['--sizes', '10000'];
latest.perf = engram('perf', [
  'bench',
  'perf',
  ...sizes,
  '--peers',
  '--out',
  join(results, 'perf.md'),
  ...perfArgs,
]);

writeFileSync(join(results, 'latest.json'), `${JSON.stringify(latest, null, 2)}\n`);
process.stderr.write(`bench: wrote ${join(results, 'latest.json')}\n`);
