import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ENGRAM_BIN = resolve('bin/engram.js');

export function tempDir(prefix = 'engram-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `engram` binary (the compiled dist/) in a child process. */
export function engram(
  args: string[],
  options: { input?: string; env?: Record<string, string>; cwd?: string } = {},
): CliResult {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [ENGRAM_BIN, ...args], {
    encoding: 'utf8',
    input: options.input ?? '',
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function engramJson<T = unknown>(args: string[], options: Parameters<typeof engram>[1] = {}): T {
  const r = engram(['--json', ...args], options);
  if (r.status !== 0)
    throw new Error(`engram ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout) as T;
}

export function engramAsync(args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, [ENGRAM_BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Runs the real `engram` binary without blocking this process, so a server in this process (the
 * OpenAI-compatible test server) can answer the child's requests.
 */
export function engramRun(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, [ENGRAM_BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  return new Promise((resolveRun, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolveRun({ status, stdout, stderr }));
  });
}
