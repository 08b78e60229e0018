// Quick development loop for retrieval quality on LoCoMo (the full instrument is `engram bench locomo`).
//
// Usage: node --import tsx scripts/dev-eval.ts [dir] [json-overrides | json-array-of-overrides]
//   MODE=bm25|vector|hybrid   search mode (default hybrid)
//   CONVS=conv-26,conv-30     only these conversations
//   JSON=1                    print every metric of `engram bench locomo` per split as JSON lines instead
//
// Each conversation is ingested once and every configuration of the array is asked against it, so comparing
// variants costs one ingest. Overrides merge into DEFAULT_RETRIEVAL, `signals` and `rerank` key by key.
// Questions and scoring are the bench's own (loadLocomo, scoreQuestion), so figures match `engram bench locomo`.
// Reports the tuning split (conv-26, conv-30, conv-41), the held-out split (conv-42, conv-43) and all.
import { performance } from 'node:perf_hooks';
import { loadLocomo } from '../src/bench/locomo-dataset.js';
import {
  type MetricValues,
  meanMetrics,
  metricKeys,
  metricPlan,
  scoreQuestion,
} from '../src/bench/metrics.js';
import { hitDialogIds, turnInput } from '../src/bench/systems/engram.js';
import { open } from '../src/index.js';
import { DEFAULT_RETRIEVAL, type RetrievalConfig } from '../src/retrieve/hybrid.js';

type Overrides = Partial<Omit<RetrievalConfig, 'signals' | 'rerank' | 'shapes' | 'categoryExpansion'>> & {
  signals?: Partial<RetrievalConfig['signals']>;
  rerank?: Partial<RetrievalConfig['rerank']>;
  shapes?: Partial<RetrievalConfig['shapes']>;
  categoryExpansion?: Partial<RetrievalConfig['categoryExpansion']>;
};

const HELD_OUT = new Set(['conv-42', 'conv-43']);
const dir = process.argv[2] ?? '../shared/data/locomo';
const parsed: Overrides | Overrides[] = process.argv[3] ? JSON.parse(process.argv[3]) : {};
const configs = Array.isArray(parsed) ? parsed : [parsed];
const only = process.env.CONVS ? new Set(process.env.CONVS.split(',')) : null;
const mode = (process.env.MODE as 'hybrid' | 'bm25' | 'vector' | undefined) ?? 'hybrid';

function resolve(o: Overrides): RetrievalConfig {
  return {
    ...DEFAULT_RETRIEVAL,
    ...o,
    signals: { ...DEFAULT_RETRIEVAL.signals, ...o.signals },
    rerank: { ...DEFAULT_RETRIEVAL.rerank, ...o.rerank },
    shapes: { ...DEFAULT_RETRIEVAL.shapes, ...o.shapes },
    categoryExpansion: { ...DEFAULT_RETRIEVAL.categoryExpansion, ...o.categoryExpansion },
  };
}

interface Scored {
  split: 'dev' | 'held';
  category: string;
  values: MetricValues;
}

const plan = metricPlan();
const data = loadLocomo(dir);
const results: Scored[][] = configs.map(() => []);
const latencies: number[][] = configs.map(() => []);
// CPU time per search as well: on a shared, loaded machine wall time mostly measures the other processes.
const cpuTimes: number[][] = configs.map(() => []);
for (const corpus of data.corpora) {
  if (only && !only.has(corpus.id)) continue;
  const engram = await open({ path: ':memory:' });
  await engram.addMany(corpus.docs.map((d) => turnInput(corpus.user, d)));
  const sessionOf = new Map(corpus.docs.map((d) => [d.id, d.session]));
  // A development script may reach into the engine: swapping the configuration avoids re-ingesting.
  const shared = (engram as unknown as { shared: { retrieval: RetrievalConfig } }).shared;
  for (const [ci, config] of configs.entries()) {
    shared.retrieval = resolve(config);
    for (const q of corpus.questions) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const hits = await engram.search(q.question, {
        user: corpus.user,
        k: 20,
        now: q.now,
        reinforce: false,
        mode,
      });
      latencies[ci]!.push(performance.now() - t0);
      const cpu = process.cpuUsage(c0);
      cpuTimes[ci]!.push((cpu.user + cpu.system) / 1000);
      results[ci]!.push({
        split: HELD_OUT.has(corpus.id) ? 'held' : 'dev',
        category: q.category ?? '?',
        values: scoreQuestion(hitDialogIds(hits, 20), q, (id) => sessionOf.get(id), plan),
      });
    }
  }
  await engram.close();
}

const keys = metricKeys(plan);
if (process.env.JSON) {
  for (const [ci, config] of configs.entries()) {
    const rs = results[ci]!;
    const mean = (subset: Scored[]) =>
      meanMetrics(
        subset.map((s) => s.values),
        keys,
      );
    const cats = [...new Set(rs.map((r) => r.category))].sort();
    console.log(
      JSON.stringify({
        config,
        mode,
        all: mean(rs),
        dev: mean(rs.filter((r) => r.split === 'dev')),
        held: mean(rs.filter((r) => r.split === 'held')),
        byCategory: Object.fromEntries(cats.map((c) => [c, mean(rs.filter((r) => r.category === c))])),
        // Per split as well: a change is kept only when each category holds on both.
        byCategorySplit: Object.fromEntries(
          (['dev', 'held'] as const).map((split) => [
            split,
            Object.fromEntries(
              cats.map((c) => [c, mean(rs.filter((r) => r.category === c && r.split === split))]),
            ),
          ]),
        ),
      }),
    );
  }
  process.exit(0);
}
const SHOWN = [
  'sessionHit@1',
  'turnRecall@10',
  'turnRecall@5',
  'turnRecall@20',
  'sessionRecall@5',
  'sessionNdcg@5',
];
const f = (v: number | undefined) => (v === undefined ? '  -  ' : v.toFixed(3));
for (const [ci, config] of configs.entries()) {
  const rs = results[ci]!;
  const lat = [...latencies[ci]!].sort((a, b) => a - b);
  const p = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] ?? 0;
  const cpu = [...cpuTimes[ci]!].sort((a, b) => a - b);
  const c = (q: number) => cpu[Math.min(cpu.length - 1, Math.floor(q * cpu.length))] ?? 0;
  console.log(
    `\n=== ${JSON.stringify(config)}  (${mode}; search p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms;` +
      ` CPU p50 ${c(0.5).toFixed(1)} ms, p95 ${c(0.95).toFixed(1)} ms)`,
  );
  console.log(`split  n     ${SHOWN.map((k) => k.padEnd(8).slice(0, 13)).join(' ')}`);
  const row = (label: string, subset: Scored[]) => {
    if (subset.length === 0) return;
    const m = meanMetrics(
      subset.map((s) => s.values),
      keys,
    );
    console.log(
      `${label.padEnd(6)} ${String(subset.length).padEnd(5)} ${SHOWN.map((k) => f(m[k]).padEnd(13)).join(' ')}`,
    );
  };
  row(
    'dev',
    rs.filter((r) => r.split === 'dev'),
  );
  row(
    'held',
    rs.filter((r) => r.split === 'held'),
  );
  row('all', rs);
  const cats = [...new Set(rs.map((r) => r.category))].sort();
  const cell = (subset: Scored[]) => {
    const m = meanMetrics(
      subset.map((s) => s.values),
      keys,
    );
    return `${f(m['sessionHit@1'])}/${f(m['turnRecall@10'])}`;
  };
  console.log(`sHit1/tR10 by category: ${cats.map((c) => `c${c}`.padEnd(12)).join(' ')}`);
  for (const split of ['dev', 'held'] as const) {
    const s = rs.filter((r) => r.split === split);
    console.log(
      `  ${split.padEnd(20)}  ${cats.map((c) => cell(s.filter((r) => r.category === c)).padEnd(12)).join(' ')}`,
    );
  }
}
