// Quick development loop for retrieval quality on LoCoMo (the full instrument is `engram bench locomo`).
// Usage: node --import tsx scripts/dev-eval.ts [dir] [json-retrieval-overrides]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { open } from '../src/index.js';
import { parseLocomo, locomoTurnText } from '../src/ingest/locomo.js';

const dir = process.argv[2] ?? '../shared/data/locomo';
const overrides = process.argv[3] ? JSON.parse(process.argv[3]) : {};
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const norm = (e: string) => {
  const m = /^D:?(\d+):0*(\d+)$/.exec(e.trim());
  return m ? `D${m[1]}:${m[2]}` : e.trim();
};
const agg: Record<string, number[]> = {};
const push = (k: string, v: number) => ((agg[k] ??= []).push(v));
for (const f of files) {
  const [conv] = parseLocomo(JSON.parse(readFileSync(join(dir, f), 'utf8')), f.replace('.json', ''));
  const e = await open({ path: ':memory:', retrieval: overrides });
  const inputs = conv!.sessions.flatMap((s) =>
    s.turns.map((t, i) => ({
      user: 'u',
      session: s.id,
      speaker: t.speaker,
      kind: 'turn' as const,
      text: locomoTurnText(t),
      occurredAt: new Date(Date.parse(s.at) + i * 1000).toISOString(),
      metadata: { dialogId: t.dialogId },
    })),
  );
  await e.addMany(inputs);
  const ids = new Set(inputs.map((i) => i.metadata.dialogId));
  const now = conv!.sessions[conv!.sessions.length - 1]!.at;
  for (const q of conv!.qa) {
    const ev = q.evidence.flatMap((x) => x.split(/[;\s]+/)).filter(Boolean).map(norm).filter((x) => ids.has(x));
    if (ev.length === 0) continue;
    const hits = await e.search(q.question, { user: 'u', k: 20, now, reinforce: false, mode: (process.env.MODE as 'bm25') ?? 'hybrid' });
    const dia = hits.map((h) => String(h.metadata.dialogId));
    const evSessions = new Set(ev.map((x) => x.split(':')[0]));
    const r10 = ev.filter((x) => dia.slice(0, 10).includes(x)).length / ev.length;
    const r5 = ev.filter((x) => dia.slice(0, 5).includes(x)).length / ev.length;
    const s1 = dia.length > 0 && evSessions.has(dia[0]!.split(':')[0]) ? 1 : 0;
    for (const c of ['all', `c${q.category}`]) {
      push(`${c}.sHit1`, s1);
      push(`${c}.tR10`, r10);
      push(`${c}.tR5`, r5);
    }
  }
  await e.close();
}
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const rows: Record<string, string> = {};
for (const [k, v] of Object.entries(agg)) rows[k] = `${mean(v).toFixed(4)} (n=${v.length})`;
console.log(JSON.stringify(rows, null, 1));
