// LoCoMo recall in a large scope: each conversation is stored in a user who also holds N synthetic memories
// (the perf bench's workload), and its questions are asked twice, with the plain full-text query and with the
// common-word plan large scopes get (RetrievalConfig `commonTerms`, docs/retrieval.md "Speed").
//
// Usage: N=30000 node --import tsx scripts/scale-eval.ts [locomo dir]
import { loadLocomo } from '../src/bench/locomo-dataset.js';
import {
  type MetricValues,
  meanMetrics,
  metricKeys,
  metricPlan,
  scoreQuestion,
} from '../src/bench/metrics.js';
import { syntheticWorkload } from '../src/bench/synthetic.js';
import { hitDialogIds, turnInput } from '../src/bench/systems/engram.js';
import { createGloveEmbedder } from '../src/embed/glove.js';
import { ANALYZER_VERSION, open } from '../src/memory/open.js';
import { DEFAULT_RETRIEVAL } from '../src/retrieve/hybrid.js';
import { createTextIndexer } from '../src/retrieve/text-index.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { analyze } from '../src/text/analyzer.js';

const distractors = Number(process.env.N ?? 30_000);
const data = loadLocomo(process.argv[2] ?? '../shared/data/locomo');
const embedder = await createGloveEmbedder();
const plan = metricPlan();
const filler = syntheticWorkload({ size: distractors, queries: 0, seed: 3, users: 1 }).memories;
const variants = [
  ['plain query', Number.POSITIVE_INFINITY],
  ['common-word plan', 1],
] as const;
const scores = new Map<string, MetricValues[]>(variants.map(([name]) => [name, []]));
for (const corpus of data.corpora) {
  const store = SqliteStore.open(':memory:', { indexer: createTextIndexer(analyze, ANALYZER_VERSION) });
  // One plan object, shared by reference with the engine's config: one ingest serves both variants.
  const commonTerms = { ...DEFAULT_RETRIEVAL.commonTerms! };
  const engram = await open({ store, embedder, retrieval: { commonTerms } });
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
  const sessionOf = new Map(corpus.docs.map((d) => [d.id, d.session]));
  for (const [name, from] of variants) {
    commonTerms.fromScopeRows = from;
    for (const q of corpus.questions) {
      const hits = await engram.search(q.question, {
        user: corpus.user,
        k: 20,
        now: q.now,
        reinforce: false,
      });
      scores.get(name)!.push(scoreQuestion(hitDialogIds(hits, 20), q, (id) => sessionOf.get(id), plan));
    }
  }
  await engram.close();
  process.stderr.write(`${corpus.id} done\n`);
}
const keys = metricKeys(plan);
console.log(
  `${distractors} synthetic memories beside each conversation, ${scores.get('plain query')!.length} questions`,
);
for (const [name, values] of scores) {
  const m = meanMetrics(values, keys) as Record<string, number>;
  const shown = ['sessionHit@1', 'turnRecall@5', 'turnRecall@10', 'turnRecall@20', 'sessionRecall@5'];
  console.log(`${name.padEnd(17)} ${shown.map((k) => `${k} ${m[k]!.toFixed(4)}`).join('  ')}`);
}
