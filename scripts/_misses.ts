import { loadLocomo } from '/work/wt/event-time/src/bench/locomo-dataset.js';
import { hitDialogIds, turnInput } from '/work/wt/event-time/src/bench/systems/engram.js';
import { open } from '/work/wt/event-time/src/index.js';
import { planQuery } from '/work/wt/event-time/src/retrieve/query-plan.js';
import { memoryEventTimes } from '/work/wt/event-time/src/retrieve/event-times.js';
const data = loadLocomo('/work/shared/data/locomo');
const cat = process.env.CAT ?? '2';
for (const corpus of data.corpora) {
  if (process.env.CONVS && !process.env.CONVS.split(',').includes(corpus.id)) continue;
  const engram = await open({ path: ':memory:' });
  await engram.addMany(corpus.docs.map((d) => turnInput(corpus.user, d)));
  const byId = new Map(corpus.docs.map((d) => [d.id, d]));
  for (const q of corpus.questions) {
    if (q.category !== cat) continue;
    const hits = await engram.search(q.question, { user: corpus.user, k: 10, now: q.now, reinforce: false });
    const ids = hitDialogIds(hits, 10);
    const missing = q.evidenceTurns.filter((t) => !ids.includes(t));
    if (missing.length === 0) continue;
    const plan = planQuery(q.question, new Date(q.now));
    console.log(`\n[${corpus.id}] ${q.question}  ranges=${plan.ranges.map((r) => `${r.text}:${new Date(r.start).toISOString().slice(0,10)}..${new Date(r.end).toISOString().slice(0,10)}`).join(',')} asksWhen=${plan.asksWhen}`);
    for (const t of missing) {
      const d = byId.get(t)!;
      console.log(`   MISS ${t} ${d.at.slice(0, 10)} ${d.speaker}: ${d.text.slice(0, 150)} ev=${JSON.stringify(memoryEventTimes({ text: d.text, occurredAt: d.at }).map((e) => e.text + '>' + e.start))}`);
    }
    console.log(`   top: ${ids.slice(0, 3).map((i) => `${i}:${byId.get(i)?.text.slice(0, 60)}`).join(' | ')}`);
  }
  await engram.close();
}
