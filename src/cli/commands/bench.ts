import type { Command } from 'commander';
import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { Reranker } from '../../rerank/types.js';
import { isPostgresUrl } from '../../store/postgres/url.js';
import type { CliContext, Progress, RegisterCommand } from '../context.js';
import { loadEmbedderChoice } from './bench-embedder.js';
import type { QaFlags } from './bench-qa.js';

/*
 * The bench modules (datasets, peers, charts) load only when a bench command runs, so `engram` stays quick
 * to start for everything else.
 */

interface RetrievalFlags {
  data: string;
  k: string;
  peers?: boolean;
  out?: string;
  embedder: string;
  mode?: string;
  fusion?: string;
  ingest: string;
  limit?: string;
  context?: string;
  maintainAfter?: string;
}

/** The global model options (`engram --embedder <spec> --reranker <spec> --llm <spec> bench …`). */
interface ModelFlags {
  embedder?: string;
  reranker?: string;
  llm?: string;
}

interface MemoryBankFlags {
  data: string;
  lang?: string;
  peers?: boolean;
  out?: string;
}

interface PerfFlags {
  sizes: string;
  users?: string;
  runs: string;
  queries: string;
  k: string;
  peers?: boolean;
  out?: string;
}

export const registerBench: RegisterCommand = (program, ctx) => {
  const bench = program
    .command('bench')
    .description('measure retrieval quality (LoCoMo, LongMemEval), speed and scale, with peers side by side');

  retrievalOptions(
    bench
      .command('locomo')
      .description('evidence recall on LoCoMo: a folder of conversation files or the combined locomo10.json')
      .requiredOption('--data <path>', 'folder of per-conversation .json files, or one .json file')
      .option('--limit <n>', 'only the first n conversations')
      .option(
        '--qa',
        'answer accuracy instead: J, F1 and BLEU-1 for Engram and the full context (needs --llm)',
      )
      .option('--judge <spec>', 'with --qa: the judging chat model (default: the --llm model)')
      .option('--budget <tokens>', "with --qa: token budget of Engram's context", '1500')
      .option('--cache <dir>', 'with --qa: answer cache folder (default: ~/.cache/engram/qa)')
      .option('--no-cache', 'with --qa: ask the models again'),
  ).action(async (flags: RetrievalFlags & Omit<QaFlags, 'data'> & { qa?: boolean }) => {
    if (flags.qa) {
      const { qaAction } = await import('./bench-qa.js');
      return qaAction(ctx, program.opts<ModelFlags>(), flags);
    }
    return retrievalAction(ctx, program.opts<ModelFlags>(), 'locomo', flags);
  });

  retrievalOptions(
    bench
      .command('longmemeval')
      .description('session and turn recall on a LongMemEval-format file (one haystack per question)')
      .requiredOption('--data <file>', 'LongMemEval .json file')
      .option('--limit <n>', 'only the first n questions'),
  ).action((flags: RetrievalFlags) => retrievalAction(ctx, program.opts<ModelFlags>(), 'longmemeval', flags));

  bench
    .command('memorybank')
    .description('pair recall on the MemoryBank probing questions (Chinese and English folders)')
    .requiredOption('--data <dir>', 'folder with cn/ and en/ (or one language folder)')
    .option('--lang <lang>', 'only this language (cn or en)')
    .option('--peers', 'also run Orama (BM25 and hybrid) and MiniSearch on the same pairs and questions')
    .option('--out <file>', 'write the JSON report to this file')
    .action((flags: MemoryBankFlags) => memoryBankAction(ctx, program.opts<ModelFlags>(), flags));

  bench
    .command('perf')
    .description('ingest throughput, search latency, memory and disk use on synthetic memories')
    .option('--sizes <list>', 'store sizes (memories, all users)', '10000,100000')
    .option('--users <n>', 'users the memories belong to (1: one scope); default size / 200 per size')
    .option('--runs <n>', 'repeated runs, each in a fresh process; medians are reported', '3')
    .option('--queries <n>', 'searches per mode and run', '200')
    .option('--k <n>', 'hits per search', '10')
    .option('--peers', 'also measure Orama and MiniSearch')
    .option('--out <file>', 'write a Markdown report and an SVG chart next to it')
    .action((flags: PerfFlags) => perfAction(ctx, program.opts<ModelFlags>(), flags));
};

function retrievalOptions(cmd: Command): Command {
  return cmd
    .option('--k <list>', 'cut-offs for recall (5, 10 and 20 are always reported)', '5,10,20')
    .option('--peers', 'also run Orama (BM25 and hybrid) and MiniSearch on the same turns and questions')
    .option('--out <file>', 'write a Markdown report and an SVG chart next to it')
    .option('--mode <mode>', 'Engram search mode: hybrid, bm25 or vector')
    .option('--fusion <name>', 'Engram fusion: rrf or score')
    .option('--ingest <how>', 'turns (addMany) or conversation (addConversation)', 'turns')
    .option(
      '--context <budgets>',
      'also build the prompt context at these token budgets: contextRecall@<budget>',
    )
    .option(
      '--maintain-after <days>',
      'run maintenance this many days after each corpus, before its questions',
    );
}

async function retrievalAction(
  ctx: CliContext,
  models: ModelFlags,
  dataset: 'locomo' | 'longmemeval',
  flags: RetrievalFlags,
) {
  const ks = positiveList(flags.k, '--k');
  const limit = flags.limit === undefined ? undefined : positiveList(flags.limit, '--limit')[0];
  const mode =
    flags.mode === undefined ? undefined : oneOf(flags.mode, ['hybrid', 'bm25', 'vector'] as const, '--mode');
  const fusion =
    flags.fusion === undefined ? undefined : oneOf(flags.fusion, ['rrf', 'score'] as const, '--fusion');
  const ingest = oneOf(flags.ingest, ['turns', 'conversation'] as const, '--ingest');
  const contextBudgets = flags.context === undefined ? [] : positiveList(flags.context, '--context');
  const maintainAfterDays =
    flags.maintainAfter === undefined ? undefined : positiveList(flags.maintainAfter, '--maintain-after')[0];
  const { runRetrievalBench } = await import('../../bench/retrieval-bench.js');
  const { open } = await import('../../memory/open.js');
  let data: import('../../bench/types.js').LoadedDataset;
  if (dataset === 'locomo') {
    const { loadLocomo } = await import('../../bench/locomo-dataset.js');
    data = loadLocomo(flags.data);
    if (limit !== undefined) data = { ...data, corpora: data.corpora.slice(0, limit) };
  } else {
    const { loadLongMemEval } = await import('../../bench/longmemeval-dataset.js');
    data = loadLongMemEval(flags.data, limit);
  }
  const bars = new Map<string, Progress>();
  // One embedder and reranker for every store the bench opens, loaded once; the bench closes them.
  const embedder = await loadEmbedderChoice(models.embedder);
  const reranker = await loadReranker(models.reranker);
  let report: import('../../bench/retrieval-report.js').RetrievalReport;
  try {
    report = await runRetrievalBench(data, {
      // Not ctx.open: that builds the --embedder/--reranker models afresh for every store it opens.
      open,
      ks,
      peers: !!flags.peers,
      embedder,
      ...(reranker ? { reranker } : {}),
      ...(mode ? { mode } : {}),
      ...(fusion ? { fusion } : {}),
      ingest,
      contextBudgets,
      ...(maintainAfterDays !== undefined ? { maintainAfterDays } : {}),
      ...postgresFlag(ctx),
      onProgress: (system, done, total) => {
        let bar = bars.get(system);
        if (!bar) {
          for (const b of bars.values()) b.done();
          bar = ctx.progress(`${dataset} ${system}`);
          bars.set(system, bar);
        }
        bar.tick(done, total);
      },
    });
  } finally {
    for (const b of bars.values()) b.done();
    if (typeof embedder === 'object') await embedder.close?.();
    await reranker?.close?.();
  }
  const written = flags.out ? await writeOut(flags.out, report) : [];
  ctx.print(report, () => {
    const rows = [['engram', report] as const, ...Object.entries(report.peers ?? {})].map(
      ([name, s]) =>
        `${name.padEnd(14)} ${['turnRecall@5', 'turnRecall@10', 'turnRecall@20', 'sessionHit@1']
          .map((key) => `${key} ${((s.metrics[key] ?? 0) * 100).toFixed(1).padStart(5)}`)
          .join(
            '  ',
          )}  p50 ${s.latencyMs.p50.toFixed(2)} ms  ingest ${s.ingestTurnsPerSec.toFixed(0)} turns/s`,
    );
    return [
      `${dataset}: ${report.questions} questions over ${report.conversations} ${dataset === 'locomo' ? 'conversations' : 'haystacks'}` +
        ` (${report.evidence.dropped} evidence ids dropped, ${report.questionsWithoutEvidence} questions without evidence)`,
      ...rows,
      ...written.map((f) => `wrote ${f}`),
    ].join('\n');
  });
}

async function memoryBankAction(ctx: CliContext, models: ModelFlags, flags: MemoryBankFlags) {
  if (models.reranker) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      'bench memorybank runs without a reranker; drop --reranker',
    );
  }
  const { loadMemoryBank } = await import('../../bench/memorybank-dataset.js');
  const { runMemoryBankBench } = await import('../../bench/memorybank-bench.js');
  const { open } = await import('../../memory/open.js');
  const data = loadMemoryBank(flags.data, flags.lang);
  const embedder = await loadEmbedderChoice(models.embedder);
  const bars = new Map<string, Progress>();
  let report: import('../../bench/memorybank-bench.js').MemoryBankReport;
  try {
    report = await runMemoryBankBench(data, {
      open,
      peers: !!flags.peers,
      embedder,
      onProgress: (system, done, total) => {
        let bar = bars.get(system);
        if (!bar) {
          for (const b of bars.values()) b.done();
          bar = ctx.progress(`memorybank ${system}`);
          bars.set(system, bar);
        }
        bar.tick(done, total);
      },
    });
  } finally {
    for (const b of bars.values()) b.done();
    if (typeof embedder === 'object') await embedder.close?.();
  }
  if (flags.out) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(flags.out, `${JSON.stringify(report, null, 2)}\n`);
  }
  ctx.print(report, () => {
    const row = (name: string, m: Record<string, number>) =>
      `${name.padEnd(16)} ${['pairHit@1', 'pairRecall@5', 'pairRecall@10']
        .map((key) => `${key} ${((m[key] ?? 0) * 100).toFixed(1).padStart(5)}`)
        .join('  ')}`;
    const systems = [['engram', report] as const, ...Object.entries(report.peers ?? {})];
    return [
      `memorybank: ${report.questions} questions (${data.languages.join(', ')})`,
      ...systems.flatMap(([name, s]) => [
        `${row(name, s.metrics)}  p50 ${s.latencyMs.p50.toFixed(2)} ms`,
        ...Object.entries(s.byLanguage).map(([lang, m]) => `  ${row(lang, m)}`),
      ]),
      ...(flags.out ? [`wrote ${flags.out}`] : []),
    ].join('\n');
  });
}

async function perfAction(ctx: CliContext, models: ModelFlags, flags: PerfFlags) {
  const sizes = positiveList(flags.sizes, '--sizes');
  const [runs] = positiveList(flags.runs, '--runs');
  const [queries] = positiveList(flags.queries, '--queries');
  const [k] = positiveList(flags.k, '--k');
  const users = flags.users === undefined ? undefined : positiveList(flags.users, '--users');
  if (users && users.length !== 1) {
    throw new EngramError(ErrorCodes.INVALID_INPUT, `--users takes one whole number (got "${flags.users}")`);
  }
  // Each perf run is a fresh process that loads its own embedder, so only the built-in choices apply.
  const embedder = oneOf(
    models.embedder ?? 'glove',
    ['glove', 'none'] as const,
    '--embedder (for bench perf)',
  );
  if (models.reranker) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      'bench perf measures retrieval without a reranker; drop --reranker',
    );
  }
  const { runPerf } = await import('../../bench/perf-runner.js');
  const progress = ctx.progress('perf');
  const report = await runPerf({
    sizes,
    runs: runs!,
    queries: queries!,
    k: k!,
    embedder,
    ...(users ? { users: users[0]! } : {}),
    ...postgresFlag(ctx),
    systems: flags.peers ? ['engram', 'orama', 'minisearch'] : ['engram'],
    onProgress: (done, total) => progress.tick(done, total),
  });
  progress.done();
  const written = flags.out ? await writeOut(flags.out, report) : [];
  ctx.print(report, () =>
    [
      `perf on ${report.machine.cores} cores (${report.machine.cpu}), Node ${report.machine.node}; medians of ${report.runs} run(s)`,
      ...report.results.map((r) => {
        const modes = Object.entries(r.searchMs)
          .map(([mode, s]) => `${mode} p50/p95/p99 ${s.p50}/${s.p95}/${s.p99} ms`)
          .join('  ');
        const disk = r.diskBytesPerMemory === null ? '' : `  ${r.diskBytesPerMemory.toFixed(0)} B/memory`;
        return `${r.system.padEnd(10)} ${String(r.size).padStart(7)}  users ${r.users} (largest ${r.largestUser})  ingest ${r.ingestPerSec.toFixed(0)}/s  ${modes}  peak RSS ${r.peakRssMb} MB${disk}`;
      }),
      ...written.map((f) => `wrote ${f}`),
    ].join('\n'),
  );
}

async function writeOut(
  out: string,
  report: Parameters<typeof import('../../bench/report-markdown.js').writeReport>[1],
) {
  const { writeReport } = await import('../../bench/report-markdown.js');
  return writeReport(out, report);
}

/**
 * `--db postgres://…` (or $ENGRAM_DB) makes the benches store Engram's memories in PostgreSQL, in scratch schemas
 * next to the one named; a SQLite path is ignored (the benches use temporary files, as before).
 */
function postgresFlag(ctx: CliContext): { postgres?: string } {
  const db = ctx.globals().db;
  return isPostgresUrl(db) ? { postgres: db } : {};
}

async function loadReranker(spec: string | undefined): Promise<Reranker | undefined> {
  if (spec === undefined) return undefined;
  const { createReranker, parseRerankerSpec } = await import('../../rerank/factory.js');
  return createReranker(parseRerankerSpec(spec));
}

function positiveList(value: string, flag: string): number[] {
  const items = value.split(',').map((s) => s.trim());
  const numbers = items.map(Number);
  if (items.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `${flag} takes whole numbers above 0, comma-separated (got "${value}")`,
    );
  }
  return numbers;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `${flag} must be one of ${allowed.join(', ')} (got "${value}")`,
    );
  }
  return value as T;
}
