import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { PerfReport } from '../../src/bench/perf-runner.js';
import { writeReport } from '../../src/bench/report-markdown.js';
import { retrievalReport } from '../../src/bench/retrieval-report.js';
import type { SystemResult } from '../../src/bench/retrieval-runner.js';
import { barChart, escapeXml, lineChart, niceMax } from '../../src/bench/svg-charts.js';
import type { LoadedDataset } from '../../src/bench/types.js';

const tmp = mkdtempSync(join(tmpdir(), 'engram-bench-report-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function result(system: string, r5: number, p50: number): SystemResult {
  const metrics = {
    'turnRecall@5': r5,
    'turnRecall@10': r5 + 0.1,
    'turnRecall@20': r5 + 0.2,
    'allEvidence@10': r5,
    'sessionHit@1': r5,
    'sessionRecall@5': 0.8,
    'sessionNdcg@5': 0.7,
  };
  return {
    system,
    config: { system },
    questions: 10,
    metrics,
    byCategory: { '1': metrics, '4': metrics },
    categoryQuestions: { '1': 4, '4': 6 },
    latencyMs: { p50, p95: p50 * 3 },
    ingestTurnsPerSec: 1000,
  };
}

const data: LoadedDataset = {
  dataset: 'locomo',
  corpora: [],
  stats: {
    questionsTotal: 11,
    questionsWithoutEvidence: 1,
    evidence: { total: 12, split: 1, repaired: 1, dropped: 1, droppedIds: ['c:D'] },
  },
};

/** Well-formed enough for rsvg and browsers: one root, balanced tags, no NaN coordinates. */
function assertSvg(svg: string) {
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>$/);
  assert.doesNotMatch(svg, /NaN|undefined|Infinity/);
  const opened = (svg.match(/<(rect|text|path|circle|line|title)[ >]/g) ?? []).length;
  const closed = (svg.match(/<\/(rect|text|path|circle|line|title)>|\/>/g) ?? []).length;
  assert.equal(opened, closed);
}

describe('report', () => {
  it('computes Engram/peer ratios', () => {
    const report = retrievalReport(data, result('engram', 0.6, 2), [result('minisearch', 0.4, 1)]);
    assert.equal(report.ratios!.minisearch!['turnRecall@5'], 1.5);
    assert.equal(report.ratios!.minisearch!.latencyP50, 2);
    assert.equal(report.ratios!.minisearch!.ingestTurnsPerSec, 1);
    assert.deepEqual(report.categories!['5'], 'adversarial');
    assert.deepEqual(report.categoryQuestions, { '1': 4, '4': 6 });
    assert.equal(report.questionsTotal, 11);
  });

  it('writes Markdown tables and a recall chart next to the report', () => {
    const report = retrievalReport(data, result('engram', 0.6, 2), [result('orama-bm25', 0.3, 1)]);
    const out = join(tmp, 'sub', 'report.md');
    assert.deepEqual(writeReport(out, report), [out, join(tmp, 'sub', 'report-recall.svg')]);
    const md = readFileSync(out, 'utf8');
    assert.match(md, /!\[LoCoMo recall per system\]\(report-recall\.svg\)/);
    assert.match(md, /\| \*\*engram\*\* \| 60\.0 \| 70\.0 \| 80\.0 \|/);
    assert.match(md, /\| orama-bm25 \| 2\.00× \|/);
    assert.match(md, /\| 1 multi-hop \| 4 \| 70\.0 \| 40\.0 \|/);
    assert.match(md, /1 dropped as matching no turn \(c:D\)/);
    const svg = readFileSync(join(tmp, 'sub', 'report-recall.svg'), 'utf8');
    assertSvg(svg);
    assert.match(svg, />orama-bm25</);
    assert.match(svg, />60\.0</);
  });

  it('writes a perf report with a latency chart', () => {
    const row = (system: 'engram' | 'minisearch', size: number, p50: number) => ({
      system,
      size,
      users: size / 200,
      largestUser: size / 10,
      meanWords: 23.5,
      ingestPerSec: 5000,
      searchMs: { bm25: { p50, p95: p50 * 2, p99: p50 * 3, mean: p50 } },
      peakRssMb: 200,
      baselineRssMb: 150,
      diskBytesPerMemory: system === 'engram' ? 2100 : null,
      runs: 3,
    });
    const report: PerfReport = {
      benchmark: 'perf',
      machine: { cores: 2, cpu: 'Test CPU', memoryGb: 8, node: 'v20', platform: 'linux' },
      runs: 3,
      queriesPerRun: 200,
      k: 10,
      sizes: [10000, 100000],
      users: 'size/200',
      embedder: 'none',
      results: [
        row('engram', 10000, 1),
        row('minisearch', 10000, 0.5),
        row('engram', 100000, 2),
        row('minisearch', 100000, 4),
      ],
      ratios: [{ peer: 'minisearch', size: 10000, ingestPerSec: 1, searchP50: { bm25: 2 } }],
      date: '2024-01-01T00:00:00.000Z',
    };
    const out = join(tmp, 'perf.md');
    writeReport(out, report);
    const md = readFileSync(out, 'utf8');
    assert.match(md, /\| \*\*engram\*\* \| 100k \| 500 \(10000\) \| 5000 \| 2\.00 \/ 4\.00 \/ 6\.00 \|/);
    assert.match(md, /\| minisearch \| 10k \| 1\.00× \| 2\.00× \| – \| – \|/);
    assert.match(md, /many users of unequal size: size \/ 200 users/);
    const svg = readFileSync(join(tmp, 'perf-latency.svg'), 'utf8');
    assertSvg(svg);
    assert.match(svg, />100k</);
    assert.match(svg, />engram bm25</);
  });
});

describe('svg helpers', () => {
  it('escapes text and rounds axis maxima', () => {
    assert.equal(escapeXml(`a<b & "c"`), 'a&lt;b &amp; &quot;c&quot;');
    assert.equal(niceMax(0.37), 0.5);
    assert.equal(niceMax(7), 10);
    assert.equal(niceMax(180), 200);
    assert.equal(niceMax(0), 1);
  });

  it('draws one bar per value and one path per line series', () => {
    const bars = barChart({
      title: 'T',
      groups: ['a', 'b'],
      series: [
        { name: 'x', values: [0.5, 1] },
        { name: 'y', values: [0.2, Number.NaN] },
      ],
      percent: true,
    });
    assertSvg(bars);
    // one bar (with a tooltip) per finite value; the NaN value draws nothing
    assert.equal((bars.match(/<title>/g) ?? []).length, 3);
    const lines = lineChart({
      title: 'L',
      xLabel: 'x',
      yLabel: 'y',
      logX: true,
      series: [
        {
          name: 's',
          points: [
            { x: 10, y: 1 },
            { x: 100, y: 2 },
          ],
        },
        { name: 't', points: [{ x: 10, y: 3 }] },
      ],
    });
    assertSvg(lines);
    assert.equal((lines.match(/<path /g) ?? []).length, 2);
  });
});
