/**
 * `--out report.md`: Markdown tables plus SVG charts written next to the report (report-recall.svg,
 * report-latency.svg), referenced from the Markdown so the report reads well on GitHub or in an editor.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { ISSUE_METRIC_KEYS } from './metrics.js';
import type { PerfReport } from './perf-runner.js';
import type { RetrievalReport, SystemSummary } from './retrieval-report.js';
import {
  barChart,
  compactNumber,
  type LineSeries,
  type LineStyle,
  lineChart,
  PALETTE,
} from './svg-charts.js';

const DATASET_TITLES: Record<string, string> = { locomo: 'LoCoMo', longmemeval: 'LongMemEval' };

function systemsOf(report: RetrievalReport): [string, SystemSummary][] {
  return [['engram', report], ...Object.entries(report.peers ?? {})];
}

const pct = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(1)}`;
const num = (v: number | null | undefined, digits = 2) =>
  v === undefined || v === null || !Number.isFinite(v) ? '–' : v.toFixed(digits);
const ratio = (v: number | undefined) => (v === undefined ? '–' : `${v.toFixed(2)}×`);

function table(head: string[], rows: string[][], align: ('l' | 'r')[] = []): string {
  const sep = head.map((_, i) => ((align[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'));
  return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function machineLine(m: RetrievalReport['machine']): string {
  return `${m.cores} cores (${m.cpu}), ${m.memoryGb} GB RAM, Node ${m.node}, ${m.platform}`;
}

export function recallChart(report: RetrievalReport): string {
  const systems = systemsOf(report);
  const groups = ['turnRecall@5', 'turnRecall@10', 'turnRecall@20', 'sessionHit@1', 'sessionRecall@5'];
  return barChart({
    title: `${DATASET_TITLES[report.dataset] ?? report.dataset}: evidence found in the top k`,
    subtitle: `${report.questions} questions over ${report.conversations} ${report.dataset === 'locomo' ? 'conversations' : 'haystacks'}; higher is better`,
    groups,
    series: systems.map(([name, s]) => ({ name, values: groups.map((g) => s.metrics[g] ?? Number.NaN) })),
    percent: true,
  });
}

export function retrievalMarkdown(report: RetrievalReport, chartFile: string): string {
  const systems = systemsOf(report);
  const title = DATASET_TITLES[report.dataset] ?? report.dataset;
  const lines: string[] = [];
  lines.push(`# Engram bench: ${title} retrieval`, '');
  lines.push(
    `${report.conversations} ${report.dataset === 'locomo' ? 'conversations' : 'haystacks'}, ${report.questions} questions scored ` +
      `(${report.questionsTotal} in the data; ${report.questionsWithoutEvidence} without usable evidence skipped). ` +
      `Evidence ids: ${report.evidence.total} annotated, ${report.evidence.split} joined lists split, ` +
      `${report.evidence.repaired} repaired, ${report.evidence.dropped} dropped as matching no turn` +
      (report.evidence.droppedIds.length > 0 ? ` (${report.evidence.droppedIds.join(', ')}).` : '.'),
    '',
    `Run ${report.date} on ${machineLine(report.machine)}.`,
    '',
    `![${title} recall per system](${chartFile})`,
    '',
    '## Overall (%, latency in ms)',
    '',
  );
  lines.push(
    table(
      ['system', ...ISSUE_METRIC_KEYS, 'p50 ms', 'p95 ms', 'ingest turns/s'],
      systems.map(([name, s]) => [
        name === 'engram' ? '**engram**' : name,
        ...ISSUE_METRIC_KEYS.map((k) => pct(s.metrics[k])),
        num(s.latencyMs.p50),
        num(s.latencyMs.p95),
        num(s.ingestTurnsPerSec, 0),
      ]),
    ),
    '',
  );
  if (report.ratios && Object.keys(report.ratios).length > 0) {
    lines.push(
      '## Engram ÷ peer',
      '',
      'Above 1× Engram finds more (or ingests faster); for latency below 1× Engram is faster.',
      '',
      table(
        ['peer', ...ISSUE_METRIC_KEYS, 'latency p50', 'ingest'],
        Object.entries(report.ratios).map(([peer, r]) => [
          peer,
          ...ISSUE_METRIC_KEYS.map((k) => ratio(r[k])),
          ratio(r.latencyP50),
          ratio(r.ingestTurnsPerSec),
        ]),
      ),
      '',
    );
  }
  const categories = Object.keys(report.byCategory);
  if (categories.length > 0) {
    const label = (c: string) => (report.categories?.[c] ? `${c} ${report.categories[c]}` : c);
    lines.push('## By category: turnRecall@10 (%)', '');
    lines.push(
      table(
        ['category', 'questions', ...systems.map(([n]) => n)],
        categories.map((c) => [
          label(c),
          String(report.categoryQuestions[c] ?? ''),
          ...systems.map(([, s]) => pct(s.byCategory[c]?.['turnRecall@10'])),
        ]),
      ),
      '',
      '## Engram by category (%)',
      '',
      table(
        ['category', ...ISSUE_METRIC_KEYS],
        categories.map((c) => [label(c), ...ISSUE_METRIC_KEYS.map((k) => pct(report.byCategory[c]?.[k]))]),
      ),
      '',
    );
  }
  lines.push('## Configuration', '');
  for (const [name, s] of systems) lines.push(`- **${name}**: \`${JSON.stringify(s.config)}\``);
  lines.push(
    '',
    'Metrics are defined in docs/bench.md: a session scores as its best turn; NDCG uses binary relevance.',
    '',
  );
  return lines.join('\n');
}

const MODE_ORDER = ['hybrid', 'bm25', 'vector'];
/** Colour tells the system, line style the retrieval mode. */
const MODE_STYLE: Record<string, LineStyle> = { hybrid: 'solid', bm25: 'dashed', vector: 'dotted' };

export function latencyChart(report: PerfReport): string {
  const series: LineSeries[] = [];
  const systems = [...new Set(report.results.map((r) => r.system))];
  systems.forEach((system, i) => {
    const rows = report.results.filter((r) => r.system === system);
    const modes = MODE_ORDER.filter((m) => rows.some((r) => r.searchMs[m]));
    for (const mode of modes) {
      series.push({
        name: `${system} ${mode}`,
        points: rows.map((r) => ({ x: r.size, y: r.searchMs[mode]?.p50 ?? Number.NaN })),
        color: PALETTE[i % PALETTE.length]!,
        style: MODE_STYLE[mode] ?? 'solid',
      });
    }
  });
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter((y) => y > 0);
  const spread = ys.length > 0 ? Math.max(...ys) / Math.min(...ys) : 1;
  return lineChart({
    title: 'Search latency vs. store size (p50)',
    subtitle: `median of ${report.runs} run(s) × ${report.queriesPerRun} queries, k = ${report.k}; lower is better`,
    xLabel: 'memories in the store (all users)',
    yLabel: 'p50 latency (ms)',
    series,
    logX: report.sizes.length > 1,
    logY: spread > 20,
  });
}

export function perfMarkdown(report: PerfReport, chartFile: string): string {
  const lines: string[] = [];
  lines.push('# Engram bench: speed and scale', '');
  lines.push(
    `Synthetic memories (log-normal chat-turn lengths, Zipf word distribution, ${usersLine(report.users)}); ` +
      `searches are scoped to one user, chosen in proportion to their memories. Figures are medians of ` +
      `${report.runs} run(s), each in a fresh process, ${report.queriesPerRun} queries per mode, k = ${report.k}, ` +
      `embedder ${report.embedder}.`,
    '',
    `Run ${report.date} on ${machineLine(report.machine)}.`,
    '',
    `![search latency vs size](${chartFile})`,
    '',
    '## Results',
    '',
  );
  const lat = (r: PerfReport['results'][number], mode: string) => {
    const s = r.searchMs[mode];
    return s ? `${num(s.p50)} / ${num(s.p95)} / ${num(s.p99)}` : '–';
  };
  lines.push(
    table(
      [
        'system',
        'memories',
        'users (largest)',
        'ingest mem/s',
        'bm25 p50/p95/p99 ms',
        'vector p50/p95/p99 ms',
        'hybrid p50/p95/p99 ms',
        'peak RSS MB',
        'disk B/memory',
      ],
      report.results.map((r) => [
        r.system === 'engram' ? '**engram**' : r.system,
        compactNumber(r.size),
        `${r.users} (${r.largestUser})`,
        num(r.ingestPerSec, 0),
        lat(r, 'bm25'),
        lat(r, 'vector'),
        lat(r, 'hybrid'),
        num(r.peakRssMb, 0),
        r.diskBytesPerMemory === null ? 'in memory' : num(r.diskBytesPerMemory, 0),
      ]),
    ),
    '',
  );
  if (report.ratios.length > 0) {
    lines.push(
      '## Engram ÷ peer',
      '',
      'Latency below 1× means Engram is faster; ingest above 1× means Engram ingests faster.',
      '',
      table(
        ['peer', 'memories', 'ingest', 'bm25 p50', 'vector p50', 'hybrid p50'],
        report.ratios.map((r) => [
          r.peer,
          compactNumber(r.size),
          ratio(r.ingestPerSec),
          ratio(r.searchP50.bm25),
          ratio(r.searchP50.vector),
          ratio(r.searchP50.hybrid),
        ]),
      ),
      '',
    );
  }
  lines.push(
    'Peak RSS is the whole process (workload, embedder and store); peers keep their index in memory, Engram in a ' +
      'SQLite file (WAL) whose page cache counts too.',
    '',
  );
  return lines.join('\n');
}

function usersLine(users: PerfReport['users']): string {
  if (users === 'size/200') return 'many users of unequal size: size / 200 users';
  return users === 1 ? "every memory in one user's scope" : `${users} users of unequal size`;
}

/** Writes `out` and its chart(s) beside it; returns the paths written. */
export function writeReport(out: string, report: RetrievalReport | PerfReport): string[] {
  const dir = dirname(out);
  mkdirSync(dir, { recursive: true });
  const stem = basename(out, extname(out));
  if ('benchmark' in report) {
    const chart = `${stem}-latency.svg`;
    writeFileSync(join(dir, chart), latencyChart(report));
    writeFileSync(out, perfMarkdown(report, chart));
    return [out, join(dir, chart)];
  }
  const chart = `${stem}-recall.svg`;
  writeFileSync(join(dir, chart), recallChart(report));
  writeFileSync(out, retrievalMarkdown(report, chart));
  return [out, join(dir, chart)];
}
