/**
 * Deterministic answers for the test server's /v1/chat/completions: the reply is computed from the prompt,
 * recognised by its system message, so tests (and `bench locomo --qa` in CI) run end to end with no key and
 * always get the same result. Unknown prompts are echoed.
 */

import { QA_ANSWER_PROMPT, QA_JUDGE_PROMPT } from '../../src/bench/qa/prompts.js';
import { ASK_PROMPT } from '../../src/memory/ask.js';
import { JUDGE_PROMPT } from '../../src/memory/lifecycle/conflict-judge.js';
import { EXTRACTION_PROMPT } from '../../src/memory/lifecycle/extract/llm.js';
import { SUMMARY_PROMPT } from '../../src/memory/lifecycle/summaries.js';

export interface ChatRequestMessage {
  role: string;
  content: string;
}

const STOP = new Set(
  'a an the is are was were be to of in on at for and or what when where who whom which how did does do has have had with about her his their its it that this from by as say said'.split(
    ' ',
  ),
);

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s]/gu, ' ')
      .split(/\s+/)
      .filter((w) => w.length > 1 && !STOP.has(w)),
  );
}

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const w of a) if (b.has(w)) n++;
  return n;
}

/** JSON string literals in `text` (the quoted memories or turns), in order. */
function quotedStrings(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"(?:[^"\\]|\\.)*"/g)) {
    try {
      out.push(JSON.parse(m[0]) as string);
    } catch {
      // Not a JSON string after all.
    }
  }
  return out;
}

/** Index of the candidate sharing the most content words with the question (first on ties), or -1. */
function best(question: string, candidates: string[]): number {
  const q = words(question);
  let at = -1;
  let score = 0;
  candidates.forEach((c, i) => {
    const s = overlap(q, words(c));
    if (s > score) {
      score = s;
      at = i;
    }
  });
  return at;
}

export function deterministicChat(messages: ChatRequestMessage[]): string {
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const user = messages[messages.length - 1]?.content ?? '';
  if (system === EXTRACTION_PROMPT) {
    const turns = user
      .split('\n')
      .slice(1)
      .map((line) => JSON.parse(line) as { turn: number; speaker: string; text: string });
    return JSON.stringify({
      facts: turns.map((t) => ({
        turn: t.turn,
        subject: t.speaker,
        attribute: 'event',
        value: t.text.slice(0, 200),
        text: `${t.speaker} said: ${t.text}`.slice(0, 1000),
        date: null,
        importance: 0.6,
      })),
    });
  }
  if (system === SUMMARY_PROMPT) {
    const turns = user.split('\n').map((line) => JSON.parse(line) as { speaker: string; text: string });
    return JSON.stringify({
      summary: `LLM summary of ${turns.length} turns, opening with ${turns[0]!.speaker}.`,
    });
  }
  if (system === JUDGE_PROMPT) return JSON.stringify({ replaces: false });
  if (system === ASK_PROMPT) {
    const question = /Question: (".*")\s*$/.exec(user);
    const lines = [...user.matchAll(/^\[(\d+)\] \([^)]*\) (".*")$/gm)].map((m) => ({
      n: Number(m[1]),
      text: JSON.parse(m[2]!) as string,
    }));
    const at = best(
      question ? (JSON.parse(question[1]!) as string) : user,
      lines.map((l) => l.text),
    );
    return JSON.stringify(
      at < 0 ? { answer: 'I do not know.', cited: [] } : { answer: lines[at]!.text, cited: [lines[at]!.n] },
    );
  }
  if (system === QA_ANSWER_PROMPT) {
    const question = /Question: (".*")\nAnswer:$/.exec(user);
    const material = user.slice(0, question?.index ?? user.length);
    const candidates = quotedStrings(material);
    const at = best(question ? (JSON.parse(question[1]!) as string) : '', candidates);
    return at < 0 ? 'unknown' : candidates[at]!;
  }
  if (system === QA_JUDGE_PROMPT) {
    const { gold_answer: gold, generated_answer: generated } = JSON.parse(user) as Record<string, string>;
    const g = words(gold);
    const correct = g.size > 0 && overlap(g, words(generated)) * 2 >= g.size;
    return JSON.stringify({
      reasoning: 'word overlap with the gold answer',
      label: correct ? 'CORRECT' : 'WRONG',
    });
  }
  return `echo: ${user}`;
}
