import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { engram, tempDir } from '../helpers/cli.js';
import { ISSUE_METRICS } from '../helpers/issue-metrics.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const ISSUE_KEYS = [
  'dataset',
  'conversations',
  'questions',
  'metrics',
  'byCategory',
  'latencyMs',
  'ingestTurnsPerSec',
  'config',
];

function assertIssueShape(json: Record<string, unknown>) {
  for (const key of ISSUE_KEYS) assert.ok(key in json, `missing ${key}`);
  const metrics = json.metrics as Record<string, number>;
  for (const key of ISSUE_METRICS) assert.equal(typeof metrics[key], 'number', key);
  const byCategory = json.byCategory as Record<string, Record<string, number>>;
  assert.deepEqual(Object.keys(byCategory), ['1', '2', '3', '4', '5']);
  for (const cat of Object.values(byCategory))
    for (const key of ISSUE_METRICS) assert.equal(typeof cat[key], 'number');
  const latency = json.latencyMs as Record<string, number>;
  assert.equal(typeof latency.p50, 'number');
  assert.equal(typeof latency.p95, 'number');
}

// Spawns the built binary (dist/): `npm test` builds it first; alone, run `npx tsc -p tsconfig.build.json`.
describe('engram bench (built binary)', () => {
  it('prints exactly the issue JSON on stdout for bench locomo --json, peers included', () => {
    const dir = tempDir('engram-bench-cli-');
    const out = join(dir, 'report.md');
    const r = engram([
      '--json',
      'bench',
      'locomo',
      '--data',
      join(fixtures, 'locomo'),
      '--embedder',
      'none',
      '--peers',
      '--k',
      '3,5',
      '--out',
      out,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assertIssueShape(json);
    assert.equal(json.dataset, 'locomo');
    assert.equal(json.conversations, 1);
    assert.equal(json.questions, 7);
    assert.equal(typeof json.metrics['turnRecall@3'], 'number');
    assert.equal(json.config.embedder, 'none');
    assert.deepEqual(Object.keys(json.peers), ['orama-bm25', 'minisearch']);
    assert.equal(json.evidence.dropped, 2);
    assert.match(readFileSync(out, 'utf8'), /# Engram bench: LoCoMo retrieval/);
    assert.ok(existsSync(join(dir, 'report-recall.svg')));
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects malformed options with an actionable message', () => {
    const r = engram(['bench', 'locomo', '--data', join(fixtures, 'locomo'), '--k', '5,zero']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr + r.stdout, /--k takes whole numbers above 0/);
    const u = engram(['bench', 'perf', '--users', '0']);
    assert.notEqual(u.status, 0);
    assert.match(u.stderr + u.stdout, /--users takes whole numbers above 0/);
    const m = engram(['bench', 'perf', '--embedder', 'bert']);
    assert.notEqual(m.status, 0);
    assert.match(m.stderr + m.stdout, /--embedder \(for bench perf\) must be one of glove, none/);
  });

  it("runs bench perf with every memory in one user's scope (--users 1)", () => {
    const dir = tempDir('engram-bench-perf-');
    const out = join(dir, 'perf.md');
    const r = engram([
      '--json',
      'bench',
      'perf',
      '--sizes',
      '250',
      '--users',
      '1',
      '--runs',
      '1',
      '--queries',
      '12',
      '--embedder',
      'none',
      '--out',
      out,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.benchmark, 'perf');
    assert.equal(json.users, 1);
    assert.deepEqual(json.sizes, [250]);
    assert.equal(json.results.length, 1);
    const engramRow = json.results[0];
    assert.equal(engramRow.system, 'engram');
    assert.equal(engramRow.users, 1);
    assert.equal(engramRow.largestUser, 250);
    const bm25 = engramRow.searchMs.bm25;
    assert.ok(bm25.p50 > 0 && bm25.p50 <= bm25.p95 && bm25.p95 <= bm25.p99, JSON.stringify(bm25));
    const md = readFileSync(out, 'utf8');
    assert.match(md, /every memory in one user's scope/);
    assert.match(md, /\| \*\*engram\*\* \| 250 \| 1 \(250\) \|/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds contextRecall@<budget> with --context, and maintains first with --maintain-after', () => {
    const r = engram([
      '--json',
      'bench',
      'locomo',
      '--data',
      join(fixtures, 'locomo'),
      '--embedder',
      'none',
      '--ingest',
      'conversation',
      '--context',
      '300,1000',
      '--maintain-after',
      '30',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assertIssueShape(json);
    for (const key of ['contextRecall@300', 'contextRecall@1000']) {
      assert.equal(typeof json.metrics[key], 'number', key);
      assert.ok(json.metrics[key] >= 0 && json.metrics[key] <= 1);
    }
    assert.ok(json.metrics['contextRecall@1000'] >= json.metrics['contextRecall@300']);
    assert.equal(json.config.maintainAfterDays, 30);
    const bad = engram(['bench', 'locomo', '--data', join(fixtures, 'locomo'), '--context', '0']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--context/);
  });

  it('runs bench longmemeval on the fixture', () => {
    const r = engram([
      '--json',
      'bench',
      'longmemeval',
      '--data',
      join(fixtures, 'longmemeval-fx.json'),
      '--embedder',
      'none',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.dataset, 'longmemeval');
    assert.equal(json.questions, 2);
    assert.equal(json.questionsWithoutEvidence, 1);
  });

  it('prints the issue JSON for bench memorybank --json, both languages and peers', () => {
    const dir = tempDir('engram-bench-mb-');
    const out = join(dir, 'mb.json');
    const r = engram([
      '--json',
      'bench',
      'memorybank',
      '--data',
      join(fixtures, 'memorybank-fx'),
      '--embedder',
      'none',
      '--peers',
      '--out',
      out,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), [
      'dataset',
      'questions',
      'metrics',
      'byLanguage',
      'latencyMs',
      'config',
      'machine',
      'date',
      'peers',
    ]);
    assert.equal(json.dataset, 'memorybank');
    assert.equal(json.questions, 7);
    assert.deepEqual(Object.keys(json.byLanguage), ['cn', 'en']);
    for (const m of [json.metrics, json.byLanguage.cn, json.byLanguage.en]) {
      assert.deepEqual(Object.keys(m), ['pairHit@1', 'pairRecall@5', 'pairRecall@10']);
    }
    assert.equal(json.byLanguage.en['pairHit@1'], 1);
    assert.deepEqual(Object.keys(json.peers), ['orama-bm25', 'minisearch']);
    assert.deepEqual(Object.keys(json.peers.minisearch.byLanguage), ['cn', 'en']);
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')).metrics, json.metrics);

    const cn = engram(['--json', 'bench', 'memorybank', '--data', join(fixtures, 'memorybank-fx', 'cn')]);
    assert.equal(cn.status, 0, cn.stderr);
    assert.deepEqual(Object.keys(JSON.parse(cn.stdout).byLanguage), ['cn']);
    const missing = engram([
      'bench',
      'memorybank',
      '--data',
      join(fixtures, 'memorybank-fx'),
      '--lang',
      'fr',
    ]);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr + missing.stdout, /No fr files .* \(languages found: cn, en\)/);
    rmSync(dir, { recursive: true, force: true });
  });
});
