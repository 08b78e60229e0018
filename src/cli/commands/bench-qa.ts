/** `engram bench locomo --qa`: answer accuracy (J, F1, BLEU-1) from Engram's context vs the full conversation. */
import { join } from 'node:path';
import { EngramError, ErrorCodes } from '../../core/errors.js';
import { LLM_NOT_CONFIGURED_HELP } from '../../llm/spec.js';
import type { CliContext } from '../context.js';
import { loadEmbedderChoice } from './bench-embedder.js';

export interface QaFlags {
  data: string;
  limit?: string;
  out?: string;
  judge?: string;
  budget: string;
  cache?: string | false;
}

export async function qaAction(
  ctx: CliContext,
  models: { embedder?: string; llm?: string },
  flags: QaFlags,
): Promise<void> {
  const llmSpec = models.llm ?? process.env.ENGRAM_LLM;
  if (!llmSpec || llmSpec.trim() === 'none') {
    throw new EngramError(
      ErrorCodes.LLM_NOT_CONFIGURED,
      `bench --qa answers every question with a chat model. ${LLM_NOT_CONFIGURED_HELP}`,
    );
  }
  const budget = Number(flags.budget);
  if (!Number.isInteger(budget) || budget < 16) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `--budget takes a whole number of tokens >= 16 (got "${flags.budget}")`,
    );
  }
  const limit = flags.limit === undefined ? undefined : Number(flags.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `--limit takes a whole number above 0 (got "${flags.limit}")`,
    );
  }
  const { resolveLlm } = await import('../../llm/spec.js');
  const { cachedLlm } = await import('../../bench/qa/cache.js');
  const { runQaBench } = await import('../../bench/qa/runner.js');
  const { readLocomo } = await import('../../bench/locomo-dataset.js');
  const { defaultCacheDir } = await import('../../embed/cache-dir.js');
  const { open } = await import('../../memory/open.js');

  const answerer = resolveLlm(llmSpec)!;
  const judge = resolveLlm(flags.judge ?? llmSpec)!;
  const cacheDir = flags.cache === false ? null : (flags.cache ?? join(defaultCacheDir(), 'qa'));
  const cache = cacheDir ? { dir: cacheDir } : null;
  // One cache for both roles: the model id is part of every key.
  const wrap = (llm: typeof answerer) => (cache ? cachedLlm(llm, cache.dir) : llm);
  const answering = wrap(answerer);
  const judging = wrap(judge);
  let conversations = readLocomo(flags.data);
  if (limit !== undefined) conversations = conversations.slice(0, limit);
  const embedder = models.embedder ?? 'glove';
  const shared = await loadEmbedderChoice(embedder);
  const progress = ctx.progress('locomo qa');
  let report: import('../../bench/qa/runner.js').QaReport;
  try {
    report = await runQaBench(conversations, {
      openMemory: () => open({ path: ':memory:', actor: 'bench', embedder: borrowed(shared) }),
      answerer: answering,
      judge: judging,
      budget,
      embedder: typeof shared === 'string' ? shared : shared.id,
      onProgress: (done, total) => progress.tick(done, total),
      ...(cache
        ? {
            cacheStats: () => {
              const a = (answering as { stats?: { hits: number; misses: number } }).stats;
              const j = (judging as { stats?: { hits: number; misses: number } }).stats;
              return { hits: (a?.hits ?? 0) + (j?.hits ?? 0), misses: (a?.misses ?? 0) + (j?.misses ?? 0) };
            },
          }
        : {}),
    });
  } finally {
    progress.done();
    if (typeof shared === 'object') await shared.close?.();
  }
  const { qaMarkdown, writeQaReport } = await import('../../bench/qa/report.js');
  const written = flags.out ? writeQaReport(flags.out, report) : [];
  ctx.print(report, () => [qaMarkdown(report).trimEnd(), ...written.map((f) => `wrote ${f}`)].join('\n'));
}

type EmbedderChoice = Awaited<ReturnType<typeof loadEmbedderChoice>>;

/** Each conversation's memory closes its embedder; the bench shares one, so each gets a view without close. */
function borrowed(choice: EmbedderChoice): EmbedderChoice {
  if (typeof choice === 'string') return choice;
  return { id: choice.id, dimensions: choice.dimensions, embed: (t, o) => choice.embed(t, o) };
}
