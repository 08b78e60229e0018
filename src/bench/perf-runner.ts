/**
 * `engram bench perf`: every (run, size, system) measured in a fresh child process (perf-worker), runs
 * interleaved so that a slow minute on a shared machine spreads over all systems, figures reported as the
 * median over runs.
 */
import { fork } from 'node:child_process';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngramError, ErrorCodes } from '../core/errors.js';
import { type MachineInfo, machineInfo } from './machine.js';
import type { PerfSystemName } from './perf-systems.js';
import type { LatencyStats, PerfJob, PerfSample } from './perf-worker.js';
import { median, round } from './stats.js';

export interface PerfOptions {
  sizes: number[];
  runs: number;
  queries: number;
  systems: PerfSystemName[];
  embedder: 'glove' | 'none';
  /** Users the memories belong to at every size (1 = one scope); omitted: size / 200 users per size. */
  users?: number;
  /** A PostgreSQL URL: Engram's store in a scratch schema next to it instead of a temporary file. */
  postgres?: string;
  k?: number;
  seed?: number;
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface PerfResult {
  system: PerfSystemName;
  size: number;
  users: number;
  largestUser: number;
  meanWords: number;
  /** Memories per second, median over runs. */
  ingestPerSec: number;
  /** Search latency per mode in ms, each figure the median over runs. */
  searchMs: Record<string, LatencyStats>;
  peakRssMb: number;
  baselineRssMb: number;
  diskBytesPerMemory: number | null;
  runs: number;
}

export interface PerfReport {
  benchmark: 'perf';
  machine: MachineInfo;
  runs: number;
  queriesPerRun: number;
  k: number;
  sizes: number[];
  /** The users option: a number of users at every size, or 'size/200' (the default, many users). */
  users: number | 'size/200';
  embedder: string;
  /** Engram's backend (absent in reports written before PostgreSQL). */
  storage?: 'sqlite' | 'postgres';
  results: PerfResult[];
  /** Engram / peer per size and mode: latency (below 1 favours Engram) and ingest (above 1 favours Engram). */
  ratios: { peer: string; size: number; ingestPerSec: number; searchP50: Record<string, number> }[];
  date: string;
}

export async function runPerf(options: PerfOptions): Promise<PerfReport> {
  const k = options.k ?? 10;
  const seed = options.seed ?? 42;
  const samples = new Map<string, PerfSample[]>();
  const total = options.runs * options.sizes.length * options.systems.length;
  let done = 0;
  for (let run = 0; run < options.runs; run++) {
    for (const size of options.sizes) {
      for (const system of options.systems) {
        options.onProgress?.(done, total, `${system} ${size} run ${run + 1}`);
        const sample = await runWorker({
          system,
          size,
          queries: options.queries,
          seed,
          k,
          embedder: options.embedder,
          ...(options.users !== undefined ? { users: options.users } : {}),
          ...(options.postgres ? { postgres: options.postgres } : {}),
        });
        const key = `${system}/${size}`;
        samples.set(key, [...(samples.get(key) ?? []), sample]);
        done++;
      }
    }
  }
  options.onProgress?.(done, total, 'done');
  const results: PerfResult[] = [];
  for (const size of options.sizes) {
    for (const system of options.systems) results.push(combine(samples.get(`${system}/${size}`)!));
  }
  return {
    benchmark: 'perf',
    machine: machineInfo(),
    runs: options.runs,
    queriesPerRun: options.queries,
    k,
    sizes: options.sizes,
    users: options.users ?? 'size/200',
    embedder: options.embedder,
    storage: options.postgres ? 'postgres' : 'sqlite',
    results,
    ratios: perfRatios(results),
    date: new Date().toISOString(),
  };
}

function combine(samples: PerfSample[]): PerfResult {
  const first = samples[0]!;
  const searchMs: Record<string, LatencyStats> = {};
  for (const mode of Object.keys(first.search)) {
    const pick = (f: keyof LatencyStats) => round(median(samples.map((s) => s.search[mode]![f])), 3);
    searchMs[mode] = { p50: pick('p50'), p95: pick('p95'), p99: pick('p99'), mean: pick('mean') };
  }
  const disk = samples.map((s) => s.diskBytesPerMemory).filter((d): d is number => d !== null);
  return {
    system: first.system,
    size: first.size,
    users: first.users,
    largestUser: first.largestUser,
    meanWords: round(first.meanWords, 1),
    ingestPerSec: round(median(samples.map((s) => s.ingestPerSec)), 1),
    searchMs,
    peakRssMb: round(median(samples.map((s) => s.peakRssMb)), 1),
    baselineRssMb: round(median(samples.map((s) => s.baselineRssMb)), 1),
    diskBytesPerMemory: disk.length > 0 ? round(median(disk), 1) : null,
    runs: samples.length,
  };
}

function perfRatios(results: PerfResult[]): PerfReport['ratios'] {
  const out: PerfReport['ratios'] = [];
  for (const engram of results.filter((r) => r.system === 'engram')) {
    for (const peer of results.filter((r) => r.system !== 'engram' && r.size === engram.size)) {
      const searchP50: Record<string, number> = {};
      for (const [mode, stats] of Object.entries(engram.searchMs)) {
        const other = peer.searchMs[mode];
        if (other && other.p50 > 0) searchP50[mode] = round(stats.p50 / other.p50, 3);
      }
      out.push({
        peer: peer.system,
        size: engram.size,
        ingestPerSec: round(engram.ingestPerSec / peer.ingestPerSec, 3),
        searchP50,
      });
    }
  }
  return out;
}

/** The worker runs from source under tsx and from dist when built; its extension follows this file's. */
function workerPath(): string {
  const here = fileURLToPath(import.meta.url);
  return join(dirname(here), `perf-worker${extname(here)}`);
}

/** Loader flags (tsx's `--import`) must reach the child; test-runner and inspector flags must not. */
function loaderArgs(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (/^--(import|require|loader|experimental-loader)=/.test(a)) out.push(a);
    else if (/^--(import|require|loader|experimental-loader)$/.test(a) && i + 1 < argv.length)
      out.push(a, argv[++i]!);
  }
  return out;
}

function runWorker(job: PerfJob): Promise<PerfSample> {
  return new Promise((resolve, reject) => {
    const child = fork(workerPath(), [], {
      execArgv: [...loaderArgs(), '--expose-gc'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let answered = false;
    child.on(
      'message',
      (msg: { ok: boolean; sample?: PerfSample; error?: { code: string; message: string } }) => {
        answered = true;
        if (msg.ok) resolve(msg.sample!);
        else
          reject(
            new EngramError(ErrorCodes.INTERNAL, `perf ${job.system} at ${job.size}: ${msg.error?.message}`),
          );
      },
    );
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!answered) {
        reject(
          new EngramError(
            ErrorCodes.INTERNAL,
            `perf worker for ${job.system} at ${job.size} exited with ${code}`,
          ),
        );
      }
    });
    child.send(job);
  });
}
