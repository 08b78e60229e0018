/**
 * Runs one retrieval system over a loaded dataset: index each corpus, ask its questions, score the rankings.
 * Ingest and search are timed separately; the time to open and close stores is in neither.
 */
import { performance } from 'node:perf_hooks';
import {
  contextRecall,
  type MetricPlan,
  type MetricValues,
  meanMetrics,
  metricKeys,
  rankingDepth,
  scoreQuestion,
} from './metrics.js';
import { percentile } from './stats.js';
import type { LoadedDataset, RetrievalSystem } from './types.js';

export interface SystemResult {
  system: string;
  config: Record<string, unknown>;
  questions: number;
  metrics: MetricValues;
  byCategory: Record<string, MetricValues>;
  /** Questions scored per category. */
  categoryQuestions: Record<string, number>;
  latencyMs: { p50: number; p95: number };
  ingestTurnsPerSec: number;
}

export type RunProgress = (system: string, done: number, total: number) => void;

export async function runRetrieval(
  system: RetrievalSystem,
  data: LoadedDataset,
  plan: MetricPlan,
  onProgress?: RunProgress,
): Promise<SystemResult> {
  const depth = rankingDepth(plan);
  const scores: MetricValues[] = [];
  const categories: (string | null)[] = [];
  const latencies: number[] = [];
  let ingestMs = 0;
  let turns = 0;
  const total = data.corpora.reduce((n, c) => n + c.questions.length, 0);
  for (const corpus of data.corpora) {
    if (corpus.questions.length === 0) continue;
    const sessionOf = new Map(corpus.docs.map((d) => [d.id, d.session]));
    const t0 = performance.now();
    const index = await system.index(corpus);
    ingestMs += performance.now() - t0;
    turns += corpus.docs.length;
    try {
      for (const question of corpus.questions) {
        const t1 = performance.now();
        const ranked = await index.search(question, depth);
        latencies.push(performance.now() - t1);
        const score = scoreQuestion(ranked, question, (id) => sessionOf.get(id), plan);
        // Context is built after the timed search, so latency stays that of the search alone.
        if (index.context && question.evidenceTurns.length > 0) {
          for (const budget of plan.contextBudgets) {
            const inBlock = await index.context(question, budget);
            score[`contextRecall@${budget}`] = contextRecall(inBlock, question.evidenceTurns);
          }
        }
        scores.push(score);
        categories.push(question.category);
        onProgress?.(system.name, scores.length, total);
      }
    } finally {
      await index.close();
    }
  }
  const keys = metricKeys(plan);
  const byCategory: Record<string, MetricValues> = {};
  const categoryQuestions: Record<string, number> = {};
  const categoryNames = [...new Set(categories.filter((c): c is string => c !== null))].sort(
    compareCategories,
  );
  for (const c of categoryNames) {
    const inCategory = scores.filter((_, i) => categories[i] === c);
    byCategory[c] = meanMetrics(inCategory, keys);
    categoryQuestions[c] = inCategory.length;
  }
  return {
    system: system.name,
    config: system.config,
    questions: scores.length,
    metrics: meanMetrics(scores, keys),
    byCategory,
    categoryQuestions,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    ingestTurnsPerSec: ingestMs > 0 ? turns / (ingestMs / 1000) : 0,
  };
}

/** Numeric categories in numeric order ("2" before "10"), names alphabetically after them. */
function compareCategories(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  if (Number.isFinite(na)) return -1;
  if (Number.isFinite(nb)) return 1;
  return a.localeCompare(b);
}
