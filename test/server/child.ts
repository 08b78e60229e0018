/** `engram serve` as a real child process: start it, read its JSON log, stop it with a signal. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { engramBin } from './helpers.js';

export interface ServeChild {
  child: ChildProcess;
  url: string;
  /** Parsed JSON log lines so far. */
  logs: Record<string, unknown>[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function spawnServe(
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<ServeChild> {
  const bin = engramBin();
  const child = spawn(bin.command, [...bin.args, 'serve', ...args], {
    env: { ...process.env, ...env },
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(l);
      } catch {
        return;
      }
      logs.push(line);
      if (line.msg === 'engram server started') resolve(line.url as string);
    });
    void exited.then(({ code }) =>
      reject(new Error(`engram serve exited with ${code}: ${stderr.join('\n')}`)),
    );
  });
  return { child, url, logs, stderr, exited };
}
