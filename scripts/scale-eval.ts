// LoCoMo recall in a large scope: each conversation is stored in a user who also holds N synthetic memories
// (the perf bench's workload), and its questions are asked twice, with the plain full-text query and with the
// common-word plan large scopes get (RetrievalConfig `commonTerms`, docs/retrieval.md "Speed").
//
// With DB=postgres://… the stores live in scratch schemas there (dropped afterwards) instead of temporary SQLite
// files, so that both backends are measured on the same data: recall, search latency (p50/p95 of every search
// of the variant) and ingest rate. CONVERSATIONS=n keeps the first n conversations; VARIANTS=default asks only
// with the default plan (common words dropped from 20k memories in the scope).
//
// Usage: N=30000 [DB=postgres://…] node --import tsx scripts/scale-eval.ts [locomo dir]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadLocomo } from '../src/bench/locomo-dataset.js';
import {
  type MetricValues,
  meanMetrics,
  metricKeys,
  metricPlan,
  scoreQuestion,
} from '../src/bench/metrics.js';
import { percentile } from '../src/bench/stats.js';
import { syntheticWorkload } from '../src/bench/synthetic.js';
import { hitDialogIds, turnInput } from '../src/bench/systems/engram.js';
import { createGloveEmbedder } from '../src/embed/glove.js';
import { ANALYZER_VERSION, open } from '../src/memory/open.js';
import { DEFAULT_RETRIEVAL } from '../src/retrieve/hybrid.js';
import { createTextIndexer } from '../src/retrieve/text-index.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { dropSchema, scratchSchemaUrl } from '../src/store/postgres/scratch-schema.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { analyze } from '../src/text/analyzer.js';

const distractors = Number(process.env.N ?? 30_000);
const data = loadLocomo(process.argv[2] ?? '../shared/data/locomo');
const embedder = await createGloveEmbedder();
const plan = metricPlan();
const filler = syntheticWorkload({ size: distractors, queries: 0, seed: 3, users: 1 }).memories;
const variants: (readonly [string, number])[] =
  process.env.VARIANTS === 'default'
    ? [['default plan', DEFAULT_RETRIEVAL.commonTerms!.fromScopeRows]]
    : [
        ['plain query', Number.POSITIVE_INFINITY],
        ['common-word plan', 1],
      ];
const scores = new Map<string, MetricValues[]>(variants.map(([name]) => [name, []]));
const latencies = new Map<string, number[]>(variants.map(([name]) => [name, []]));
const postgres = process.env.DB;
let ingestMs = 0;
let ingested = 0;
for (const corpus of data.corpora.slice(0, Number(process.env.CONVERSATIONS ?? data.corpora.length))) {
  const indexer = createTextIndexer(analyze, ANALYZER_VERSION);
  const pgUrl = postgres ? scratchSchemaUrl(postgres, 'scale') : null;
  const dir = pgUrl ? null : mkdtempSync(join(tmpdir(), 'engram-scale-'));
  const store = pgUrl
    ? await PostgresStore.open(pgUrl, { indexer })
    : SqliteStore.open(join(dir!, 'scale.db'), { indexer });
  // One plan object, shared by reference with the engine's config: one ingest serves both variants.
  const commonTerms = { ...DEFAULT_RETRIEVAL.commonTerms! };
  const engram = await open({ store, embedder, retrieval: { commonTerms } });
  const t0 = performance.now();
  for (let i = 0; i < filler.length; i += 1000) {
    await engram.addMany(
      filler.slice(i, i + 1000).map((m, j) => ({
        user: corpus.user,
        session: `filler-${Math.floor((i + j) / 20)}`,
        kind: 'turn' as const,
        text: m.text,
        occurredAt: m.occurredAt,
      })),
    );
  }
  await engram.addMany(corpus.docs.map((d) => turnInput(corpus.user, d)));
  ingestMs += performance.now() - t0;
  ingested += filler.length + corpus.docs.length;
  const sessionOf = new Map(corpus.docs.map((d) => [d.id, d.session]));
  for (const [name, from] of variants) {
    commonTerms.fromScopeRows = from;
    for (const q of corpus.questions) {
      const t1 = performance.now();
      const hits = await engram.search(q.question, {
        user: corpus.user,
        k: 20,
        now: q.now,
        reinforce: false,
      });
      latencies.get(name)!.push(performance.now() - t1);
      scores.get(name)!.push(scoreQuestion(hitDialogIds(hits, 20), q, (id) => sessionOf.get(id), plan));
    }
  }
  await engram.close();
  if (pgUrl) await dropSchema(pgUrl);
  if (dir) rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`${corpus.id} done\n`);
}
const keys = metricKeys(plan);
console.log(
  `${distractors} synthetic memories beside each conversation, ${scores.get(variants[0]![0])!.length} questions, ` +
    `${postgres ? 'PostgreSQL' : 'SQLite'}, ingest ${Math.round(ingested / (ingestMs / 1000))} memories/s`,
);
for (const [name, values] of scores) {
  const m = meanMetrics(values, keys) as Record<string, number>;
  const shown = ['sessionHit@1', 'turnRecall@5', 'turnRecall@10', 'turnRecall@20', 'sessionRecall@5'];
  const ms = latencies.get(name)!;
  console.log(
    `${name.padEnd(17)} ${shown.map((k) => `${k} ${m[k]!.toFixed(4)}`).join('  ')}  ` +
      `search p50/p95 ${percentile(ms, 50).toFixed(1)}/${percentile(ms, 95).toFixed(1)} ms`,
  );
}
await embedder.close?.();
