/**
 * The QA bench: every LoCoMo question answered by a chat model twice — from Engram's context (buildContext
 * within a token budget) and from the whole conversation (the full-context baseline) — then scored by an LLM
 * judge (J) and by token F1 and BLEU-1 against the gold answer, per category.
 */
import { z } from 'zod';
import { locomoToConversations } from '../../ingest/conversation-file.js';
import type { LocomoConversation } from '../../ingest/locomo.js';
import { locomoTurnText } from '../../ingest/locomo.js';
import type { LlmClient } from '../../llm/types.js';
import { quoteAsData } from '../../memory/lifecycle/quoting.js';
import type { Engram } from '../../memory/types.js';
import { LOCOMO_CATEGORIES } from '../locomo-dataset.js';
import { bleu1, tokenF1 } from './metrics.js';
import {
  QA_ANSWER_PROMPT,
  QA_JUDGE_PROMPT,
  QA_PROMPTS_HASH,
  qaAnswerMessage,
  qaJudgeMessage,
} from './prompts.js';

export const QA_SYSTEMS = ['engram', 'full-context'] as const;
export type QaSystem = (typeof QA_SYSTEMS)[number];

export interface QaScores {
  questions: number;
  /** Share of answers the judge labelled CORRECT, 0..1. */
  j: number;
  f1: number;
  bleu1: number;
}

export interface QaSystemResult {
  overall: QaScores;
  byCategory: Record<string, QaScores>;
  /** Mean tokens of material per question (o200k for Engram's context; characters / 4 for the baseline). */
  meanContextTokens: number;
}

export interface QaAnswerRecord {
  conversation: string;
  question: string;
  category: string;
  gold: string;
  /** `verdict` is the judge's reply as it came, to audit the label. */
  answers: Record<QaSystem, { answer: string; verdict: string; correct: boolean; f1: number; bleu1: number }>;
}

export interface QaReport {
  dataset: 'locomo';
  conversations: number;
  questions: number;
  /** Categories left out (LoCoMo's adversarial category 5 has no gold answer to match, as in the Mem0 paper). */
  skippedCategories: string[];
  config: { answerModel: string; judgeModel: string; budget: number; promptsHash: string; embedder: string };
  systems: Record<QaSystem, QaSystemResult>;
  /** LLM calls answered from the cache / sent to a model. */
  cache: { hits: number; misses: number } | null;
  records: QaAnswerRecord[];
}

export interface QaBenchOptions {
  /** Opens a fresh, empty memory for one conversation (no LLM: facts come from the rules). */
  openMemory: () => Promise<Engram>;
  answerer: LlmClient;
  judge: LlmClient;
  /** Token budget of Engram's context. */
  budget: number;
  embedder: string;
  /** Default ['5']. */
  skipCategories?: string[];
  onProgress?: (done: number, total: number) => void;
  cacheStats?: () => { hits: number; misses: number };
}

const JudgeSchema = z.object({ label: z.string() });

/** CORRECT or WRONG from the judge's reply; a reply that says neither counts as WRONG and is kept in the record. */
export function parseJudgement(reply: string): boolean {
  const body = reply.trim().replace(/^```(?:json)?\s*\n([\s\S]*)\n```$/, '$1');
  try {
    return JudgeSchema.parse(JSON.parse(body)).label.trim().toUpperCase() === 'CORRECT';
  } catch {
    return /\bCORRECT\b/.test(body) && !/\bWRONG\b/.test(body);
  }
}

/** The whole conversation, session by session with dates, each turn quoted. */
export function fullConversation(conv: LocomoConversation): string {
  return conv.sessions
    .map(
      (s) =>
        `Session ${s.index} (${s.at.slice(0, 16).replace('T', ' ')}):\n` +
        s.turns.map((t) => `${t.speaker}: ${quoteAsData(locomoTurnText(t))}`).join('\n'),
    )
    .join('\n\n');
}

function goldAnswer(answer: unknown): string | null {
  if (typeof answer === 'string' && answer.trim() !== '') return answer.trim();
  if (typeof answer === 'number') return String(answer);
  return null;
}

function emptyScores(): { n: number; j: number; f1: number; bleu1: number } {
  return { n: 0, j: 0, f1: 0, bleu1: 0 };
}

export async function runQaBench(
  conversations: LocomoConversation[],
  options: QaBenchOptions,
): Promise<QaReport> {
  const skip = new Set(options.skipCategories ?? ['5']);
  const work = conversations.map((conv) => ({
    conv,
    questions: conv.qa.flatMap((qa) => {
      const category = qa.category === null ? 'none' : String(qa.category);
      const gold = goldAnswer(qa.answer);
      return skip.has(category) || gold === null ? [] : [{ question: qa.question, category, gold }];
    }),
  }));
  const total = work.reduce((n, w) => n + w.questions.length, 0);
  const records: QaAnswerRecord[] = [];
  const contextTokens: Record<QaSystem, number> = { engram: 0, 'full-context': 0 };
  let done = 0;

  const answerAndJudge = async (material: string, question: string, gold: string) => {
    const answer = (
      await options.answerer.chat([
        { role: 'system', content: QA_ANSWER_PROMPT },
        { role: 'user', content: qaAnswerMessage(material, question) },
      ])
    ).trim();
    const verdict = await options.judge.chat(
      [
        { role: 'system', content: QA_JUDGE_PROMPT },
        { role: 'user', content: qaJudgeMessage(question, gold, answer) },
      ],
      { json: true },
    );
    return {
      answer,
      verdict,
      correct: parseJudgement(verdict),
      f1: tokenF1(answer, gold),
      bleu1: bleu1(answer, gold),
    };
  };

  for (const { conv, questions } of work) {
    if (questions.length === 0) continue;
    const memory = await options.openMemory();
    try {
      for (const input of locomoToConversations(conv, conv.sampleId)) await memory.addConversation(input);
      const full = fullConversation(conv);
      const now = conv.sessions[conv.sessions.length - 1]?.at ?? new Date(0).toISOString();
      for (const q of questions) {
        const context = await memory.buildContext({
          user: conv.sampleId,
          query: q.question,
          now,
          tokenBudget: options.budget,
          reinforce: false,
        });
        contextTokens.engram += context.tokens;
        contextTokens['full-context'] += Math.ceil(full.length / 4);
        records.push({
          conversation: conv.sampleId,
          question: q.question,
          category: q.category,
          gold: q.gold,
          answers: {
            engram: await answerAndJudge(context.text || '(no memories)', q.question, q.gold),
            'full-context': await answerAndJudge(full, q.question, q.gold),
          },
        });
        options.onProgress?.(++done, total);
      }
    } finally {
      await memory.close();
    }
  }

  const systems = {} as Record<QaSystem, QaSystemResult>;
  for (const system of QA_SYSTEMS) {
    const overall = emptyScores();
    const byCategory = new Map<string, ReturnType<typeof emptyScores>>();
    for (const r of records) {
      const a = r.answers[system];
      for (const s of [
        overall,
        byCategory.get(r.category) ?? byCategory.set(r.category, emptyScores()).get(r.category)!,
      ]) {
        s.n++;
        s.j += a.correct ? 1 : 0;
        s.f1 += a.f1;
        s.bleu1 += a.bleu1;
      }
    }
    const mean = (s: ReturnType<typeof emptyScores>): QaScores => ({
      questions: s.n,
      j: s.n ? s.j / s.n : 0,
      f1: s.n ? s.f1 / s.n : 0,
      bleu1: s.n ? s.bleu1 / s.n : 0,
    });
    systems[system] = {
      overall: mean(overall),
      byCategory: Object.fromEntries(
        [...byCategory].sort(([a], [b]) => a.localeCompare(b)).map(([c, s]) => [categoryName(c), mean(s)]),
      ),
      meanContextTokens: records.length ? Math.round(contextTokens[system] / records.length) : 0,
    };
  }
  return {
    dataset: 'locomo',
    conversations: work.filter((w) => w.questions.length > 0).length,
    questions: records.length,
    skippedCategories: [...skip].map(categoryName),
    config: {
      answerModel: options.answerer.id,
      judgeModel: options.judge.id,
      budget: options.budget,
      promptsHash: QA_PROMPTS_HASH,
      embedder: options.embedder,
    },
    systems,
    cache: options.cacheStats?.() ?? null,
    records,
  };
}

function categoryName(category: string): string {
  return LOCOMO_CATEGORIES[category] ?? category;
}
