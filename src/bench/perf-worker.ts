/**
 * One perf measurement in a process of its own, so that peak RSS belongs to one system at one size and
 * nothing is shared between runs (caches, JIT state, heap). Started by perf-runner with an IPC channel;
 * receives a PerfJob, answers with a PerfSample or an error, then exits.
 */
import { performance } from 'node:perf_hooks';
import { toEngramError } from '../core/errors.js';
import type { Embedder } from '../embed/types.js';
import { createPerfStore, type PerfSystemName } from './perf-systems.js';
import { mean, percentile } from './stats.js';
import { syntheticWorkload } from './synthetic.js';

export interface PerfJob {
  system: PerfSystemName;
  size: number;
  queries: number;
  seed: number;
  k: number;
  embedder: 'glove' | 'none';
  /** Number of users the memories belong to; omitted: size / 200 (many users of unequal size). */
  users?: number;
  postgres?: string;
}

export interface LatencyStats {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export interface PerfSample {
  system: PerfSystemName;
  size: number;
  users: number;
  largestUser: number;
  meanWords: number;
  ingestPerSec: number;
  search: Record<string, LatencyStats>;
  /** Resident set after the workload was generated and the embedder loaded, before ingest. */
  baselineRssMb: number;
  peakRssMb: number;
  diskBytesPerMemory: number | null;
}

const BATCH = 1000;
const WARMUP = 10;

async function measure(job: PerfJob): Promise<PerfSample> {
  let embedder: Embedder | null = null;
  // MiniSearch has no vectors: loading the embedder would only inflate its RSS.
  if (job.embedder === 'glove' && job.system !== 'minisearch') {
    const { createGloveEmbedder } = await import('../embed/glove.js');
    embedder = await createGloveEmbedder();
  }
  const workload = syntheticWorkload({
    size: job.size,
    queries: job.queries,
    seed: job.seed,
    ...(job.users !== undefined ? { users: job.users } : {}),
  });
  // Peers never load the engine, so their RSS holds only what they need.
  const open = job.system === 'engram' ? (await import('../memory/open.js')).open : undefined;
  const store = await createPerfStore(job.system, {
    open,
    embedder,
    ...(job.postgres ? { postgres: job.postgres } : {}),
  });
  globalThis.gc?.();
  const baselineRss = process.memoryUsage().rss;

  const t0 = performance.now();
  for (let i = 0; i < workload.memories.length; i += BATCH) {
    await store.ingest(workload.memories.slice(i, i + BATCH), i);
  }
  const ingestMs = performance.now() - t0;

  const search: Record<string, LatencyStats> = {};
  for (const mode of store.modes) {
    for (const q of workload.queries.slice(0, WARMUP)) await store.search(q.user, q.text, job.k, mode);
    const times: number[] = [];
    for (const q of workload.queries) {
      const t = performance.now();
      await store.search(q.user, q.text, job.k, mode);
      times.push(performance.now() - t);
    }
    search[mode] = {
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      p99: percentile(times, 99),
      mean: mean(times),
    };
  }
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const { diskBytes } = await store.close();
  await embedder?.close?.();
  return {
    system: job.system,
    size: job.size,
    users: workload.users,
    largestUser: workload.largestUser,
    meanWords: workload.meanWords,
    ingestPerSec: workload.memories.length / (ingestMs / 1000),
    search,
    baselineRssMb: baselineRss / 2 ** 20,
    peakRssMb: peakRss / 2 ** 20,
    diskBytesPerMemory: diskBytes === null ? null : diskBytes / workload.memories.length,
  };
}

process.once('message', (job: PerfJob) => {
  measure(job).then(
    (sample) => process.send!({ ok: true, sample }, () => process.exit(0)),
    (e: unknown) => process.send!({ ok: false, error: toEngramError(e).toJSON() }, () => process.exit(1)),
  );
});
