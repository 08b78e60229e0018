import { createEmbedder, parseEmbedderSpec } from '../../embed/factory.js';
import type { RegisterCommand } from '../context.js';

export const registerModelCommands: RegisterCommand = (program, ctx) => {
  program
    .command('prepare')
    .description('build the default embedder’s GloVe cache now (otherwise built on first use, once)')
    .option('--cache-dir <dir>', 'cache directory (default $ENGRAM_CACHE_DIR or ~/.cache/engram)')
    .option('--force', 'rebuild even when a valid cache exists')
    .action(async (o) => {
      const { prepareGloveCache } = await import('../../embed/glove.js');
      const r = await prepareGloveCache({
        ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
        ...(o.force ? { force: true } : {}),
      });
      ctx.print(r, r.written ? `prepared ${r.path} (${r.bytes} bytes)` : `already prepared: ${r.path}`);
    });

  program
    .command('reindex')
    .description('embed every memory that lacks a vector of the chosen embedder (search then uses it)')
    .option(
      '--embedder <spec>',
      'glove | transformers:<dir or hub id> | openai:<url>#<model> (see docs/embedders.md)',
    )
    .option('--batch <n>', 'texts per embedding call', (v) => Number(v), 256)
    .action(async (o) => {
      const spec: string | undefined = o.embedder ?? program.opts().embedder;
      const embedder = spec ? await createEmbedder(parseEmbedderSpec(spec)) : undefined;
      const engram = await ctx.open(embedder ? { embedder } : {});
      const progress = ctx.progress('reindex');
      try {
        const r = await engram.reindex({ batchSize: o.batch, onProgress: (d, t) => progress.tick(d, t) });
        progress.done();
        ctx.print(r, `embedded ${r.embedded} memories with ${r.model ?? 'no embedder'}`);
      } finally {
        await engram.close();
      }
    });
};
