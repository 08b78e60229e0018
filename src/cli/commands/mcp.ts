/** `engram mcp`: the MCP server over stdio, for clients that spawn it (Claude Desktop, IDEs, agents). */
import { resolveConfig } from '../../server/config.js';
import { openDatabase } from '../../server/database.js';
import { packageVersion } from '../../server/version.js';
import type { RegisterCommand } from '../context.js';
import { configFlags } from './serve.js';

export const registerMcp: RegisterCommand = (program) => {
  program
    .command('mcp')
    .description(
      'serve MCP over stdio (tools: remember, recall, get_context, forget, list_memories, memory_history)',
    )
    .option('--tenant <tenant>', 'tenant the tools act in', 'default')
    .option('--user <user>', 'user the tools act on when the model names none', 'default')
    .option('--config <file>', 'server config file, to find its database, embedder and reranker')
    .action(async (opts: { tenant: string; user: string; config?: string }) => {
      // The global --db, --embedder and --reranker apply; the HTTP settings of the server config do not.
      const { config } = resolveConfig({ flags: configFlags(null, program), configFile: opts.config });
      // Loaded here, not at the top: every other command would otherwise pay for the MCP SDK.
      const { serveStdio } = await import('../../mcp/stdio.js');
      const { engram, keys } = await openDatabase(config);
      await keys.close();
      await serveStdio({
        engram: engram.withContext({ tenant: opts.tenant, actor: 'mcp' }),
        role: 'admin',
        defaultUser: opts.user,
        version: packageVersion(),
        onClose: () => engram.close(),
      });
    });
};
