import type { Progress } from './context.js';
import { terminalSafeJson, visibleText } from './safe-text.js';

export function printJson(value: unknown): void {
  process.stdout.write(`${terminalSafeJson(JSON.stringify(value, null, 0))}\n`);
}

/** Human output: stored text may hold escape sequences, which are shown, never sent to the terminal raw. */
export function printHuman(text: string, stream: NodeJS.WriteStream = process.stdout): void {
  stream.write(`${visibleText(text)}\n`);
}

/** A single self-overwriting progress line on stderr; silent when stderr is not a terminal. */
export function ttyProgress(label: string, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return { tick() {}, done() {} };
  let last = 0;
  return {
    tick(done, total) {
      const now = Date.now();
      if (now - last < 100 && done !== total) return;
      last = now;
      const pct = total ? ` ${Math.floor((100 * done) / total)}%` : '';
      process.stderr.write(`\r${label}: ${done}${total ? `/${total}` : ''}${pct}   `);
    },
    done() {
      process.stderr.write('\n');
    },
  };
}
