import { Command, CommanderError } from 'commander';
import { EngramError, ErrorCodes, toEngramError } from '../core/errors.js';
import { createEmbedder, parseEmbedderSpec } from '../embed/factory.js';
import { defaultDbPath, open } from '../memory/open.js';
import type { OpenOptions } from '../memory/types.js';
import { createReranker, parseRerankerSpec } from '../rerank/factory.js';
import { registerAsk } from './commands/ask.js';
import { registerBench } from './commands/bench.js';
import { registerContext } from './commands/context.js';
import { registerDemo } from './commands/demo.js';
import { registerEntities } from './commands/entities.js';
import { registerKeys } from './commands/keys.js';
import { registerMaintain } from './commands/maintain.js';
import { registerMcp } from './commands/mcp.js';
import { registerMemoryCommands } from './commands/memories.js';
import { registerMigrate } from './commands/migrate.js';
import { registerModelCommands } from './commands/models.js';
import { registerServe } from './commands/serve.js';
import type { CliContext, GlobalOptions, RegisterCommand } from './context.js';
import { printHuman, printJson, ttyProgress } from './output.js';

const COMMANDS: RegisterCommand[] = [
  registerMemoryCommands,
  registerContext,
  registerAsk,
  registerEntities,
  registerMaintain,
  registerModelCommands,
  registerServe,
  registerMcp,
  registerKeys,
  registerBench,
  registerDemo,
  registerMigrate,
];

export function buildProgram(): { program: Command; ctx: CliContext } {
  const program = new Command('engram')
    .description('Long-term memory for LLM applications: store, search, and keep memories healthy.')
    .option(
      '--db <path>',
      'database: a SQLite file or a postgres:// URL (default: $ENGRAM_DB or ./engram.db)',
    )
    .option('--json', 'machine-readable JSON output')
    .option(
      '--embedder <spec>',
      'embedder: glove (default) | none | transformers:<dir> | openai:<url>#<model>',
    )
    .option('--reranker <spec>', 'cross-encoder reranker: cross-encoder:<dir or hub id> (default: none)')
    .option(
      '--llm <spec>',
      'chat model for facts, summaries and ask: openai:<base-url>#<model> (default: $ENGRAM_LLM, else none; key from $ENGRAM_LLM_KEY or $OPENAI_API_KEY)',
    )
    .showHelpAfterError()
    .exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const globals = (): GlobalOptions => {
    const o = program.opts<{ db?: string; json?: boolean }>();
    return { db: o.db ?? defaultDbPath(), json: !!o.json };
  };
  const ctx: CliContext = {
    globals,
    open: async (options = {}) =>
      open({ path: globals().db, actor: 'cli', ...(await modelOptions(program)), ...options }),
    print(value, human) {
      if (globals().json) printJson(value);
      else printHuman(typeof human === 'function' ? human() : human);
    },
    progress: (label) => ttyProgress(label, !globals().json),
  };
  for (const register of COMMANDS) register(program, ctx);
  for (const sub of program.commands) sub.exitOverride();
  return { program, ctx };
}

/** Runs the CLI; resolves to the process exit code. */
export async function run(argv: string[]): Promise<number> {
  const { program, ctx } = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version output are not failures.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0)
        return 0;
      if (safeJson(ctx)) printJson({ error: { code: ErrorCodes.INVALID_INPUT, message: e.message } });
      return 2;
    }
    const err = toEngramError(e);
    if (safeJson(ctx)) printJson({ error: err.toJSON() });
    else
      printHuman(
        `engram: ${err.message}${err.code === ErrorCodes.INTERNAL ? ' (internal error)' : ''}`,
        process.stderr,
      );
    if (err.code === ErrorCodes.INTERNAL && process.env.ENGRAM_DEBUG)
      process.stderr.write(`${(e as Error).stack}\n`);
    return err instanceof EngramError ? 1 : 1;
  }
}

function safeJson(ctx: CliContext): boolean {
  try {
    return ctx.globals().json;
  } catch {
    return false;
  }
}

/** The --embedder, --reranker and --llm choices as open() options. */
async function modelOptions(program: Command): Promise<Partial<OpenOptions>> {
  const o = program.opts<{ embedder?: string; reranker?: string; llm?: string }>();
  const out: Partial<OpenOptions> = {};
  const llm = o.llm ?? process.env.ENGRAM_LLM;
  // A spec string: open() parses it, so a bad one fails before anything is read or written.
  if (llm && llm.trim() !== '') out.llm = llm;
  if (o.embedder === 'none' || o.embedder === 'glove') out.embedder = o.embedder;
  else if (o.embedder) out.embedder = await createEmbedder(parseEmbedderSpec(o.embedder));
  if (o.reranker) out.reranker = await createReranker(parseRerankerSpec(o.reranker));
  return out;
}
