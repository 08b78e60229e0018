// Retrieval quality on the MemoryBank probing set (../shared/data/memorybank, English and Chinese), the
// second dataset every retrieval idea is checked on beside LoCoMo.
//
// Usage: node --import tsx scripts/memorybank-eval.ts [dir] [json-overrides | json-array-of-overrides]
//   INGEST=conversation   store each day with addConversation (default: addMany of the turns)
//   MAINTAIN_AFTER=30     run maintain this many days after the last day, before the questions
//   CONTEXT=500,1000      also report contextRecall@<budget> (buildContext)
//
// Each user's day is a session; each query/response pair is two turns (the user's message, the companion's
// reply). A ranking of memories becomes a ranking of pairs (first appearance); pairHit@1 is 1 when the best
// pair is evidence, pairRecall@k the share of evidence pairs in the top k pairs. The question's reference
// time is the day after the user's last day (the folder's README).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemoryInput } from '../src/core/types.js';
import { open } from '../src/index.js';
import type { Engram, SearchHit } from '../src/memory/types.js';
import { DEFAULT_RETRIEVAL, type RetrievalConfig } from '../src/retrieve/hybrid.js';

type Overrides = Partial<Omit<RetrievalConfig, 'signals' | 'rerank' | 'shapes'>> & {
  signals?: Partial<RetrievalConfig['signals']>;
  shapes?: Partial<RetrievalConfig['shapes']>;
};

interface Pair {
  query: string;
  response: string;
}
interface Evidence {
  question: string;
  evidence: string[];
}

const dir = process.argv[2] ?? '../shared/data/memorybank';
const parsed: Overrides | Overrides[] = process.argv[3] ? JSON.parse(process.argv[3]) : {};
const configs = Array.isArray(parsed) ? parsed : [parsed];
const ingest = process.env.INGEST === 'conversation' ? 'conversation' : 'turns';
const maintainAfter = process.env.MAINTAIN_AFTER ? Number(process.env.MAINTAIN_AFTER) : null;
const budgets = process.env.CONTEXT ? process.env.CONTEXT.split(',').map(Number) : [];
const DAY_MS = 86_400_000;

function resolve(o: Overrides): RetrievalConfig {
  return {
    ...DEFAULT_RETRIEVAL,
    ...o,
    signals: { ...DEFAULT_RETRIEVAL.signals, ...o.signals },
    shapes: { ...DEFAULT_RETRIEVAL.shapes, ...o.shapes },
  };
}

function pairIds(hits: readonly SearchHit[]): string[] {
  const out: string[] = [];
  for (const h of hits) {
    const ids: unknown[] = [];
    if (typeof h.metadata.pairId === 'string') ids.push(h.metadata.pairId);
    if (Array.isArray(h.metadata.dialogIds)) ids.push(...h.metadata.dialogIds);
    for (const id of ids) if (typeof id === 'string' && !out.includes(id)) out.push(id);
  }
  return out;
}

async function store(engram: Engram, user: string, history: Record<string, Pair[]>): Promise<void> {
  for (const [date, pairs] of Object.entries(history)) {
    const turns: MemoryInput[] = [];
    pairs.forEach((p, i) => {
      const at = (s: number) =>
        new Date(Date.parse(`${date}T12:00:00Z`) + (i * 2 + s) * 60_000).toISOString();
      turns.push(
        {
          user,
          session: date,
          kind: 'turn',
          speaker: user,
          role: 'user',
          text: p.query,
          occurredAt: at(0),
          metadata: { pairId: `${date}#${i}`, dialogId: `${date}#${i}` },
        },
        {
          user,
          session: date,
          kind: 'turn',
          speaker: 'AI',
          role: 'assistant',
          text: p.response,
          occurredAt: at(1),
          metadata: { pairId: `${date}#${i}`, dialogId: `${date}#${i}` },
        },
      );
    });
    const usable = turns.filter((t) => t.text.trim() !== '');
    if (usable.length === 0) continue;
    if (ingest === 'conversation') {
      await engram.addConversation({
        user,
        session: date,
        messages: usable.map((t) => ({
          speaker: t.speaker!,
          role: t.role as 'user' | 'assistant',
          text: t.text,
          at: t.occurredAt!,
          metadata: t.metadata!,
        })),
      });
    } else await engram.addMany(usable);
  }
}

const rows: Record<string, number[]>[] = configs.map(() => ({}));
const add = (ci: number, key: string, v: number) => {
  const list = rows[ci]![key] ?? [];
  list.push(v);
  rows[ci]![key] = list;
};
for (const lang of ['en', 'cn']) {
  const bank = JSON.parse(readFileSync(join(dir, lang, `memory_bank_${lang}.json`), 'utf8')) as Record<
    string,
    { history: Record<string, Pair[]> }
  >;
  const evidence = JSON.parse(readFileSync(join(dir, lang, `evidence_${lang}.json`), 'utf8')) as Record<
    string,
    Evidence[]
  >;
  for (const [rawUser, entry] of Object.entries(bank)) {
    const user = rawUser.trim();
    const questions = (evidence[user] ?? []).filter((q) => q.evidence.length > 0);
    if (questions.length === 0) continue;
    const engram = await open({ path: ':memory:' });
    await store(engram, user, entry.history);
    const last = Object.keys(entry.history).sort().at(-1)!;
    const now = new Date(Date.parse(`${last}T00:00:00Z`) + DAY_MS).toISOString();
    if (maintainAfter !== null) {
      await engram.maintain({
        now: new Date(Date.parse(`${last}T23:59:59Z`) + maintainAfter * DAY_MS).toISOString(),
      });
    }
    const shared = (engram as unknown as { shared: { retrieval: RetrievalConfig } }).shared;
    for (const [ci, config] of configs.entries()) {
      shared.retrieval = resolve(config);
      for (const q of questions) {
        const hits = await engram.search(q.question, { user, k: 40, now, reinforce: false });
        const ranked = pairIds(hits);
        const rel = new Set(q.evidence);
        const found = (k: number) => ranked.slice(0, k).filter((id) => rel.has(id)).length / rel.size;
        for (const key of [lang, 'all']) {
          add(ci, `${key} pairHit@1`, rel.has(ranked[0] ?? '') ? 1 : 0);
          add(ci, `${key} pairRecall@5`, found(5));
          add(ci, `${key} pairRecall@10`, found(10));
        }
        for (const budget of budgets) {
          const block = await engram.buildContext({
            user,
            query: q.question,
            now,
            tokenBudget: budget,
            reinforce: false,
          });
          const ids = new Set<string>();
          for (const item of [...block.facts, ...block.turns, ...block.summaries]) {
            const m = await engram.get(item.id);
            for (const id of pairIds([{ metadata: m?.metadata ?? {} } as SearchHit])) ids.add(id);
          }
          const share = [...rel].filter((id) => ids.has(id)).length / rel.size;
          for (const key of [lang, 'all']) add(ci, `${key} contextRecall@${budget}`, share);
        }
      }
    }
    await engram.close();
  }
}
for (const [ci, config] of configs.entries()) {
  const means = Object.fromEntries(
    Object.entries(rows[ci]!).map(([k, v]) => [
      k,
      Number((v.reduce((a, b) => a + b, 0) / v.length).toFixed(4)),
    ]),
  );
  console.log(
    JSON.stringify({ config, ingest, maintainAfter, n: rows[ci]!['all pairHit@1']?.length, ...means }),
  );
}
