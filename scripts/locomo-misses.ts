// Lists the LoCoMo questions of one category whose evidence is missing from the top 10: each evidence turn's
// rank (999 = not among the hits asked for), its signals, and the five hits above it. For reading failures,
// not for tuning single questions (docs/retrieval.md).
//
// Usage: node --import tsx scripts/locomo-misses.ts [dir] [json-overrides]
//   CAT=2        category (default 2, temporal)     K=60   hits asked for per question
//   CONVS=conv-42,conv-43   only these conversations  ALL=1  every question, missed or not
import { loadLocomo } from '../src/bench/locomo-dataset.js';
import { turnInput } from '../src/bench/systems/engram.js';
import { open } from '../src/index.js';
import { DEFAULT_RETRIEVAL, type RetrievalConfig } from '../src/retrieve/hybrid.js';

const dir = process.argv[2] ?? '../shared/data/locomo';
const override = (process.argv[3] ? JSON.parse(process.argv[3]) : {}) as Partial<RetrievalConfig>;
const category = process.env.CAT ?? '2';
const k = Number(process.env.K ?? 60);
const only = process.env.CONVS ? new Set(process.env.CONVS.split(',')) : null;

const short = (s: string, n = 140) => (s.length > n ? `${s.slice(0, n)}…` : s).replace(/\n/g, ' ');
function signals(explain: Record<string, unknown> | undefined): string {
  const out: string[] = [];
  for (const [key, v] of Object.entries(explain ?? {})) {
    if (typeof v === 'number') out.push(`${key}=${v.toFixed(2)}`);
    else if (v && typeof v === 'object' && 'rank' in v) out.push(`${key}#${(v as { rank: number }).rank}`);
    else if (v && typeof v === 'object' && 'bonus' in v)
      out.push(`${key}=${(v as { bonus: number }).bonus.toFixed(2)}`);
  }
  return out.join(' ');
}

let missed = 0;
let total = 0;
for (const corpus of loadLocomo(dir).corpora) {
  if (only && !only.has(corpus.id)) continue;
  const engram = await open({ path: ':memory:' });
  await engram.addMany(corpus.docs.map((d) => turnInput(corpus.user, d)));
  // A development script may reach into the engine, as dev-eval.ts does.
  const shared = (engram as unknown as { shared: { retrieval: RetrievalConfig } }).shared;
  shared.retrieval = {
    ...DEFAULT_RETRIEVAL,
    ...override,
    signals: { ...DEFAULT_RETRIEVAL.signals, ...override.signals },
    shapes: { ...DEFAULT_RETRIEVAL.shapes, ...override.shapes },
  };
  const byId = new Map(corpus.docs.map((d) => [d.id, d]));
  for (const q of corpus.questions) {
    if (String(q.category) !== category) continue;
    total++;
    const hits = await engram.search(q.question, {
      user: corpus.user,
      k,
      now: q.now,
      reinforce: false,
      explain: true,
    });
    const ids = hits.map((h) => h.metadata.dialogId as string);
    const ranks = q.evidenceTurns.map((e) => ids.indexOf(e) + 1 || 999);
    const inTop10 = ranks.filter((r) => r <= 10).length;
    if (inTop10 < ranks.length) missed++;
    else if (!process.env.ALL) continue;
    console.log(`\n## ${corpus.id} [${inTop10}/${ranks.length}] ${q.question}   (now ${q.now.slice(0, 10)})`);
    for (const [i, e] of q.evidenceTurns.entries()) {
      const d = byId.get(e);
      const hit = hits.find((h) => h.metadata.dialogId === e);
      console.log(
        `  evidence rank ${ranks[i]} ${e} ${d?.at.slice(0, 10)} ${d?.speaker}: ${short(d?.text ?? '?')}`,
      );
      if (hit)
        console.log(`        ${hit.score.toFixed(3)} ${signals(hit.explain as Record<string, unknown>)}`);
    }
    for (const [i, h] of hits.slice(0, 5).entries()) {
      const at = h.occurredAt.slice(0, 10);
      const why = signals(h.explain as Record<string, unknown>);
      console.log(
        `  top${i + 1} ${h.metadata.dialogId} ${at} ${h.speaker} ${h.score.toFixed(3)} [${why}]: ${short(h.text, 100)}`,
      );
    }
  }
  await engram.close();
}
console.log(`\nmissing evidence in the top 10: ${missed} of ${total} questions of category ${category}`);
