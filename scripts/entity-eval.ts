// Entity recognition measured on a hand-labelled set of made-up sentences (test/fixtures/entities-gold.jsonl):
// the rules alone and, with a chat model, the LLM path alone and the union Engram stores.
//
// Usage: node --import tsx scripts/entity-eval.ts [gold.jsonl] [--llm openai:<base-url>#<model>] [--json]
//   (the model may also come from $ENGRAM_LLM, its key from $ENGRAM_LLM_KEY or $OPENAI_API_KEY)
// Tentative mentions (a capitalised word at the start of a sentence) are left out, as profiles leave them out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GoldSentence, scoreEntities } from '../src/bench/entity-eval.js';
import { type LlmEntity, mentionFromLlm, recognizeWithLlm } from '../src/entities/llm-mentions.js';
import { recognizeEntities } from '../src/entities/recognize.js';
import { requireLlm, resolveLlm } from '../src/llm/spec.js';
import { createLlmExtractor } from '../src/memory/lifecycle/extract/llm.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const llmAt = args.indexOf('--llm');
const llmSpec = llmAt >= 0 ? args[llmAt + 1] : process.env.ENGRAM_LLM;
const file =
  args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--llm') ??
  join(import.meta.dirname, '..', 'test', 'fixtures', 'entities-gold.jsonl');
const gold: GoldSentence[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as GoldSentence);

const keys = (found: { key: string; role: string }[]) =>
  found.filter((m) => m.role !== 'tentative').map((m) => m.key);

const results: Record<string, ReturnType<typeof scoreEntities>> = {
  rules: scoreEntities(
    gold,
    gold.map((g) => keys(recognizeEntities(g.text, { speaker: g.speaker }))),
  ),
};

if (llmSpec) {
  const llm = requireLlm(resolveLlm(llmSpec));
  const named = new Map<number, LlmEntity[]>();
  const turns = gold.map((g, i) => ({
    id: String(i),
    text: g.text,
    speaker: g.speaker,
    role: 'user' as const,
    at: new Date(),
  }));
  await createLlmExtractor(llm, {
    fallback: null,
    onEntities: (turn, entities) => named.set(Number(turn.id), entities),
  }).extract(turns);
  // The model alone: what it named, plus the speaker (known without reading anything).
  results.llm = scoreEntities(
    gold,
    gold.map((g, i) => [
      `person:${g.speaker.toLowerCase()}`,
      ...(named.get(i) ?? []).flatMap((e) => mentionFromLlm(e, g.speaker)?.key ?? []),
    ]),
  );
  results.union = scoreEntities(
    gold,
    gold.map((g, i) => keys(recognizeWithLlm(g.text, g.speaker, named.get(i) ?? []))),
  );
}

if (json) {
  console.log(
    JSON.stringify({ gold: file, sentences: gold.length, model: llmSpec ?? null, results }, null, 2),
  );
} else {
  const pct = (x: number) => x.toFixed(3);
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `${name.padEnd(6)} P ${pct(r.all.precision)} R ${pct(r.all.recall)} F1 ${pct(r.all.f1)}  (${r.all.hits}/${r.all.gold} gold keys, ${r.all.found} found)`,
    );
    for (const [type, s] of Object.entries(r.byType)) {
      console.log(`         ${type.padEnd(13)} P ${pct(s.precision)} R ${pct(s.recall)} F1 ${pct(s.f1)}`);
    }
  }
}
