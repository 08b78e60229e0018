import type { Command } from 'commander';
import type { Engram, OpenOptions } from '../memory/types.js';

export interface GlobalOptions {
  /** Database path: --db, else $ENGRAM_DB, else ./engram.db */
  db: string;
  json: boolean;
}

export interface Progress {
  tick(done: number, total?: number): void;
  done(): void;
}

/** What every command module gets: global options, a way to open the store, and output helpers. */
export interface CliContext {
  globals(): GlobalOptions;
  /** Opens the database named by --db (with extra options); the caller closes it. */
  open(options?: Partial<OpenOptions>): Promise<Engram>;
  /** Prints `value` as JSON with --json, else the human text. */
  print(value: unknown, human: string | (() => string)): void;
  /** A progress line on stderr when it is a TTY and --json is off; otherwise does nothing. */
  progress(label: string): Progress;
}

/** Each file in src/cli/commands/ exports a function of this type. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;
