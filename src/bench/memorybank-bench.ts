/**
 * `engram bench memorybank` without the CLI: Engram (and, with peers, Orama and MiniSearch) on the MemoryBank
 * probing questions, scored on pairs as the data's README defines: a ranking of memories becomes a ranking of
 * query/response pairs by first appearance; pairHit@1 = the best pair is evidence, pairRecall@k = share of the
 * evidence pairs among the first k pairs.
 */
import { performance } from 'node:perf_hooks';
import type { Embedder } from '../embed/types.js';
import { type MachineInfo, machineInfo } from './machine.js';
import { type MemoryBankDataset, pairOf } from './memorybank-dataset.js';
import { hitAtK, type MetricValues, meanMetrics, recallAtK } from './metrics.js';
import { percentile, round } from './stats.js';
import { EngramSystem, type OpenEngram } from './systems/engram.js';
import { miniSearchPeer } from './systems/minisearch.js';
import { oramaPeer } from './systems/orama.js';
import { PeerSystem } from './systems/peer.js';
import type { RetrievalSystem } from './types.js';

export const MEMORYBANK_METRIC_KEYS = ['pairHit@1', 'pairRecall@5', 'pairRecall@10'] as const;
/** Docs asked for per question: each pair is two docs, and @10 needs ten distinct pairs. */
const DOC_DEPTH = 40;

export interface MemoryBankSummary {
  questions: number;
  metrics: MetricValues;
  byLanguage: Record<string, MetricValues>;
  latencyMs: { p50: number; p95: number };
  config: Record<string, unknown>;
}

export interface MemoryBankReport extends MemoryBankSummary {
  dataset: 'memorybank';
  peers?: Record<string, MemoryBankSummary>;
  machine: MachineInfo;
  date: string;
}

export interface MemoryBankBenchOptions {
  open: OpenEngram;
  peers?: boolean;
  /** "glove" (default), "none", or a ready embedder (closed by the caller). */
  embedder?: 'glove' | 'none' | Embedder;
  onProgress?: (system: string, done: number, total: number) => void;
}

/** Pair-level metrics of one question from a ranking of doc ids. */
export function scorePairs(rankedDocs: readonly string[], evidence: readonly string[]): MetricValues {
  const pairs: string[] = [];
  for (const id of rankedDocs) {
    const pair = pairOf(id);
    if (!pairs.includes(pair)) pairs.push(pair);
  }
  const relevant = new Set(evidence);
  return {
    'pairHit@1': hitAtK(pairs, relevant, 1),
    'pairRecall@5': recallAtK(pairs, relevant, 5),
    'pairRecall@10': recallAtK(pairs, relevant, 10),
  };
}

export async function runMemoryBankSystem(
  system: RetrievalSystem,
  data: MemoryBankDataset,
  onProgress?: MemoryBankBenchOptions['onProgress'],
): Promise<MemoryBankSummary> {
  const scores: MetricValues[] = [];
  const languages: string[] = [];
  const latencies: number[] = [];
  const total = data.corpora.reduce((n, c) => n + c.questions.length, 0);
  for (const corpus of data.corpora) {
    if (corpus.questions.length === 0) continue;
    const index = await system.index(corpus);
    try {
      for (const question of corpus.questions) {
        const t0 = performance.now();
        const ranked = await index.search(question, DOC_DEPTH);
        latencies.push(performance.now() - t0);
        scores.push(scorePairs(ranked, question.evidenceTurns));
        languages.push(corpus.language);
        onProgress?.(system.name, scores.length, total);
      }
    } finally {
      await index.close();
    }
  }
  const keys = [...MEMORYBANK_METRIC_KEYS];
  const byLanguage: Record<string, MetricValues> = {};
  for (const language of data.languages) {
    byLanguage[language] = roundAll(
      meanMetrics(
        scores.filter((_, i) => languages[i] === language),
        keys,
      ),
    );
  }
  return {
    questions: scores.length,
    metrics: roundAll(meanMetrics(scores, keys)),
    byLanguage,
    latencyMs: { p50: round(percentile(latencies, 50), 2), p95: round(percentile(latencies, 95), 2) },
    config: system.config,
  };
}

export async function runMemoryBankBench(
  data: MemoryBankDataset,
  options: MemoryBankBenchOptions,
): Promise<MemoryBankReport> {
  const choice = options.embedder ?? 'glove';
  let embedder: Embedder | null = null;
  let owned = false;
  if (choice === 'glove') {
    const { createGloveEmbedder } = await import('../embed/glove.js');
    embedder = await createGloveEmbedder();
    owned = true;
  } else if (choice !== 'none') {
    embedder = choice;
  }
  try {
    const engram = new EngramSystem({ open: options.open, embedder: embedder ?? 'none' });
    const main = await runMemoryBankSystem(engram, data, options.onProgress);
    const report: MemoryBankReport = {
      dataset: 'memorybank',
      ...main,
      machine: machineInfo(),
      date: new Date().toISOString(),
    };
    if (options.peers) {
      const peers: RetrievalSystem[] = [new PeerSystem(oramaPeer({ mode: 'bm25' }))];
      if (embedder) peers.push(new PeerSystem(oramaPeer({ mode: 'hybrid', embedder })));
      peers.push(new PeerSystem(miniSearchPeer()));
      report.peers = {};
      for (const peer of peers) {
        report.peers[peer.name] = await runMemoryBankSystem(peer, data, options.onProgress);
      }
    }
    return report;
  } finally {
    if (owned) await embedder?.close?.();
  }
}

function roundAll(values: MetricValues): MetricValues {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, round(v, 4)]));
}
