// Quick development loop for retrieval quality on MemoryBank (the full instrument is `engram bench memorybank`).
//
// Usage: node --import tsx scripts/memorybank-eval.ts [dir] [json-overrides | json-array-of-overrides]
//   MODE=bm25|vector|hybrid   search mode (default hybrid)
//   MISSES=1                  print the questions whose best pair is not evidence
//
// Each user is ingested once and every configuration is asked against it; overrides merge into
// DEFAULT_RETRIEVAL as in scripts/dev-eval.ts. Scoring is the bench's own (scorePairs).
import { performance } from 'node:perf_hooks';
import { scorePairs } from '../src/bench/memorybank-bench.js';
import { loadMemoryBank, pairOf } from '../src/bench/memorybank-dataset.js';
import { type MetricValues, meanMetrics } from '../src/bench/metrics.js';
import { hitDialogIds, turnInput } from '../src/bench/systems/engram.js';
import { open } from '../src/index.js';
import { DEFAULT_RETRIEVAL, type RetrievalConfig } from '../src/retrieve/hybrid.js';

type Overrides = Partial<Omit<RetrievalConfig, 'signals' | 'rerank' | 'shapes' | 'categoryExpansion'>> & {
  signals?: Partial<RetrievalConfig['signals']>;
  rerank?: Partial<RetrievalConfig['rerank']>;
  shapes?: Partial<RetrievalConfig['shapes']>;
  categoryExpansion?: Partial<RetrievalConfig['categoryExpansion']>;
};

const dir = process.argv[2] ?? '../shared/data/memorybank';
const parsed: Overrides | Overrides[] = process.argv[3] ? JSON.parse(process.argv[3]) : {};
const configs = Array.isArray(parsed) ? parsed : [parsed];
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

const data = loadMemoryBank(dir);
const results: { language: string; values: MetricValues }[][] = configs.map(() => []);
const latencies: number[][] = configs.map(() => []);
for (const corpus of data.corpora) {
  if (corpus.questions.length === 0) continue;
  const engram = await open({ path: ':memory:' });
  await engram.addMany(corpus.docs.map((d) => turnInput(corpus.user, d)));
  const shared = (engram as unknown as { shared: { retrieval: RetrievalConfig } }).shared;
  for (const [ci, config] of configs.entries()) {
    shared.retrieval = resolve(config);
    for (const q of corpus.questions) {
      const t0 = performance.now();
      const hits = await engram.search(q.question, {
        user: corpus.user,
        k: 40,
        now: q.now,
        reinforce: false,
        mode,
      });
      latencies[ci]!.push(performance.now() - t0);
      const ranked = hitDialogIds(hits, 40);
      const values = scorePairs(ranked, q.evidenceTurns);
      results[ci]!.push({ language: corpus.language, values });
      if (process.env.MISSES && values['pairHit@1'] === 0) {
        const pairs = [...new Set(ranked.map(pairOf))].slice(0, 3);
        console.log(
          `miss [${corpus.language}] ${q.question}  want ${q.evidenceTurns.join(',')} got ${pairs.join(',')}`,
        );
      }
    }
  }
  await engram.close();
}
const keys = ['pairHit@1', 'pairRecall@5', 'pairRecall@10'];
const f = (v: number | undefined) => (v === undefined ? '  -  ' : v.toFixed(3));
for (const [ci, config] of configs.entries()) {
  const rs = results[ci]!;
  const lat = [...latencies[ci]!].sort((a, b) => a - b);
  const p = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] ?? 0;
  console.log(
    `\n=== ${JSON.stringify(config)}  (${mode}; p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms)`,
  );
  for (const language of [...data.languages, 'all']) {
    const subset = rs.filter((r) => language === 'all' || r.language === language);
    const m = meanMetrics(
      subset.map((s) => s.values),
      keys,
    );
    console.log(
      `${language.padEnd(4)} n=${String(subset.length).padEnd(3)} ${keys.map((k) => `${k} ${f(m[k])}`).join('  ')}`,
    );
  }
}
