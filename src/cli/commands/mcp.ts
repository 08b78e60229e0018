/** `engram mcp`: the MCP server over stdio, for clients that spawn it (Claude Desktop, IDEs, agents). */

import { resolveConfig } from '../../server/config.js';
import { openDatabase } from '../../server/database.js';
import { packageVersion } from '../../server/version.js';
import type { RegisterCommand } from '../context.js';

export const registerMcp: RegisterCommand = (program) => {
  program
    .command('mcp')
    .description(
      'serve MCP over stdio (tools: remember, recall, get_context, forget, list_memories, memory_history)',
    )
    .option('--tenant <tenant>', 'tenant the tools act in', 'default')
    .option('--user <user>', 'user the tools act on when the model names none', 'default')
    .option('--embedder <embedder>', 'glove or none (default: as the server config)')
    .option('--config <file>', 'server config file, to find its database and embedder')
    .action(async (opts: { tenant: string; user: string; embedder?: string; config?: string }) => {
      const db = program.opts<{ db?: string }>().db;
      const flags: Record<string, unknown> = {};
      if (db !== undefined) flags.db = db;
      if (opts.embedder !== undefined) flags.embedder = opts.embedder;
      const { config } = resolveConfig({ flags, configFile: opts.config });
      // Loaded here, not at the top: every other command would otherwise pay for the MCP SDK.
      const { serveStdio } = await import('../../mcp/stdio.js');
      const { engram, keys } = await openDatabase(config);
      keys.close();
      await serveStdio({
        engram: engram.withContext({ tenant: opts.tenant, actor: 'mcp' }),
        role: 'admin',
        defaultUser: opts.user,
        version: packageVersion(),
        onClose: () => engram.close(),
      });
    });
};
