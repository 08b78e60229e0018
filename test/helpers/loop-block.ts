/**
 * How long this process's event loop was blocked by its own work. A 10 ms interval timer measures each gap
 * between ticks; the part of a gap that this process spent on the CPU is work that blocked the loop, while
 * the rest is time the OS gave to other processes. On a shared 2-core machine timer lateness alone is mostly
 * the latter, so `maxBlockMs` (CPU-attributed) is what tests bound; `maxLatenessMs` is reported beside it.
 */
const INTERVAL_MS = 10;

export interface LoopBlockMonitor {
  stop(): { maxBlockMs: number; maxLatenessMs: number; ticks: number };
}

export function monitorLoopBlocking(): LoopBlockMonitor {
  let lastAt = performance.now();
  let lastCpu = process.cpuUsage();
  let maxBlockMs = 0;
  let maxLatenessMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const at = performance.now();
    const cpu = process.cpuUsage();
    const gap = at - lastAt;
    const cpuMs = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
    maxLatenessMs = Math.max(maxLatenessMs, gap - INTERVAL_MS);
    // Other threads (GC helpers, the SQLite read worker) can add CPU time beside the loop: cap at the gap.
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
