import { readFileSync } from 'node:fs';

/**
 * How long this process's event loop was blocked by its own work. A 10 ms interval timer measures each gap
 * between ticks; the part of a gap that the event loop's own thread spent on the CPU is work that blocked the
 * loop, while the rest is time the OS gave to other processes. On a shared 2-core machine timer lateness alone
 * is mostly the latter, so `maxBlockMs` (CPU-attributed) is what tests bound; `maxLatenessMs` is reported
 * beside it. The thread's own CPU time comes from Linux's schedstat: the process's total would also count
 * what other threads did meanwhile (GC helpers, the SQLite read worker running a query off the loop, the
 * checkpointer), which a loaded machine runs during the loop thread's waits for a core.
 */
const INTERVAL_MS = 10;

const SCHEDSTAT = '/proc/thread-self/schedstat';

/** CPU time of the calling thread in ms (schedstat's first field is nanoseconds on a CPU), or null off Linux. */
function threadCpuMs(): number | null {
  try {
    return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    // No schedstat (another OS, a kernel without it): the monitor falls back to the process's CPU time.
    return null;
  }
}

/** CPU time of the event loop's thread (else of the whole process) in ms, since an arbitrary origin. */
function loopCpuMs(): number {
  const own = threadCpuMs();
  if (own !== null) return own;
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
}

export interface LoopBlockMonitor {
  stop(): { maxBlockMs: number; maxLatenessMs: number; ticks: number };
}

export function monitorLoopBlocking(): LoopBlockMonitor {
  let lastAt = performance.now();
  let lastCpu = loopCpuMs();
  let maxBlockMs = 0;
  let maxLatenessMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const at = performance.now();
    const cpu = loopCpuMs();
    const gap = at - lastAt;
    const cpuMs = cpu - lastCpu;
    maxLatenessMs = Math.max(maxLatenessMs, gap - INTERVAL_MS);
    // Capped at the gap: where the process's CPU time stands in, other threads can add to it.
    maxBlockMs = Math.max(maxBlockMs, Math.min(gap, cpuMs) - INTERVAL_MS);
    lastAt = at;
    lastCpu = cpu;
    ticks += 1;
  }, INTERVAL_MS);
  return {
    stop() {
      clearInterval(timer);
      return { maxBlockMs, maxLatenessMs, ticks };
    },
  };
}

/**
 * Runs `work` and returns its wall time and the part of it this process spent on the CPU (the server's work
 * when the server runs in this process), so that a latency bound can be checked apart from the machine's load.
 */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; wallMs: number; ownMs: number }> {
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  return { value, wallMs, ownMs: Math.min(wallMs, (cpu.user + cpu.system) / 1000) };
}
