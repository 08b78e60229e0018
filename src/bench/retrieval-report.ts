/**
 * The JSON of `engram bench locomo|longmemeval`. Other tools parse it: keys are only ever added, never
 * renamed. The top level is Engram's result; peers sit under `peers`, with Engram/peer ratios under `ratios`.
 */
import { LOCOMO_CATEGORIES } from './locomo-dataset.js';
import { type MachineInfo, machineInfo } from './machine.js';
import type { MetricValues } from './metrics.js';
import type { SystemResult } from './retrieval-runner.js';
import { round } from './stats.js';
import type { DatasetStats, LoadedDataset } from './types.js';

export interface SystemSummary {
  questions: number;
  metrics: MetricValues;
  byCategory: Record<string, MetricValues>;
  latencyMs: { p50: number; p95: number };
  ingestTurnsPerSec: number;
  config: Record<string, unknown>;
}

export interface RetrievalReport extends SystemSummary {
  dataset: LoadedDataset['dataset'];
  conversations: number;
  /** Names of the category keys (LoCoMo's numbers). */
  categories?: Record<string, string>;
  /** Questions scored per category. */
  categoryQuestions: Record<string, number>;
  questionsTotal: number;
  questionsWithoutEvidence: number;
  evidence: DatasetStats['evidence'];
  peers?: Record<string, SystemSummary>;
  /**
   * Engram divided by each peer. Above 1 is better for Engram on quality metrics and ingest throughput;
   * for latency (`latencyP50`, `latencyP95`) below 1 is better for Engram.
   */
  ratios?: Record<string, MetricValues>;
  machine: MachineInfo;
  date: string;
}

export function summarise(result: SystemResult): SystemSummary {
  return {
    questions: result.questions,
    metrics: roundAll(result.metrics, 4),
    byCategory: Object.fromEntries(Object.entries(result.byCategory).map(([c, m]) => [c, roundAll(m, 4)])),
    latencyMs: { p50: round(result.latencyMs.p50, 2), p95: round(result.latencyMs.p95, 2) },
    ingestTurnsPerSec: round(result.ingestTurnsPerSec, 1),
    config: result.config,
  };
}

export function retrievalReport(data: LoadedDataset, engram: SystemResult, peers: SystemResult[] = []) {
  const main = summarise(engram);
  const report: RetrievalReport = {
    dataset: data.dataset,
    conversations: data.corpora.length,
    questions: main.questions,
    metrics: main.metrics,
    byCategory: main.byCategory,
    latencyMs: main.latencyMs,
    ingestTurnsPerSec: main.ingestTurnsPerSec,
    config: main.config,
    ...(data.dataset === 'locomo' ? { categories: LOCOMO_CATEGORIES } : {}),
    categoryQuestions: engram.categoryQuestions,
    questionsTotal: data.stats.questionsTotal,
    questionsWithoutEvidence: data.stats.questionsWithoutEvidence,
    evidence: data.stats.evidence,
    machine: machineInfo(),
    date: new Date().toISOString(),
  };
  if (peers.length > 0) {
    report.peers = Object.fromEntries(peers.map((p) => [p.system, summarise(p)]));
    report.ratios = Object.fromEntries(peers.map((p) => [p.system, ratios(engram, p)]));
  }
  return report;
}

function ratios(engram: SystemResult, peer: SystemResult): MetricValues {
  const out: MetricValues = {};
  for (const [key, value] of Object.entries(engram.metrics)) {
    const other = peer.metrics[key];
    if (other !== undefined && other > 0) out[key] = round(value / other, 3);
  }
  if (peer.latencyMs.p50 > 0) out.latencyP50 = round(engram.latencyMs.p50 / peer.latencyMs.p50, 3);
  if (peer.latencyMs.p95 > 0) out.latencyP95 = round(engram.latencyMs.p95 / peer.latencyMs.p95, 3);
  if (peer.ingestTurnsPerSec > 0)
    out.ingestTurnsPerSec = round(engram.ingestTurnsPerSec / peer.ingestTurnsPerSec, 3);
  return out;
}

function roundAll(values: MetricValues, digits: number): MetricValues {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, round(v, digits)]));
}
