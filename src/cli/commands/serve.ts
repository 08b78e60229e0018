/** `engram serve`: the REST API and MCP (streamable HTTP) server. */
import type { Command } from 'commander';
import { CONFIG_FIELDS, resolveConfig, type ServerConfig } from '../../server/config.js';
import { packageVersion } from '../../server/version.js';
import type { RegisterCommand } from '../context.js';

/** Adds one option per configuration field, except those that are global options of the CLI. */
function addConfigOptions(cmd: Command): void {
  for (const f of CONFIG_FIELDS) {
    if (f.global) continue;
    if (f.type === 'bool') {
      // Both forms, so that "not given" stays undefined and env/config file can decide.
      cmd.option(`--${f.flag}`, f.description.replace(/`/g, ''));
      cmd.option(`--no-${f.flag}`, `turn off: ${f.key}`);
    } else {
      const arg = Array.isArray(f.type) ? f.type.join('|') : f.type === 'int' ? 'n' : 'value';
      cmd.option(`--${f.flag} <${arg}>`, `${f.description.replace(/`/g, '')} (default ${String(f.default)})`);
    }
  }
}

/** Flag values keyed by config field; undefined where the flag was not given. */
export function configFlags(
  cmd: Command | null,
  program: Command,
): Partial<Record<keyof ServerConfig, unknown>> {
  const own = cmd?.opts<Record<string, unknown>>() ?? {};
  const globals = program.opts<Record<string, unknown>>();
  const flags: Partial<Record<keyof ServerConfig, unknown>> = {};
  for (const f of CONFIG_FIELDS) {
    const camel = f.flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    const value = f.global ? globals[camel] : own[camel];
    if (value !== undefined) flags[f.key] = value;
  }
  return flags;
}

export const registerServe: RegisterCommand = (program) => {
  const cmd = program
    .command('serve')
    .description(
      'start the REST API and MCP server (default http://127.0.0.1:8787, database ./data/engram.db)',
    )
    .option(
      '--config <file>',
      'JSON config file (default: ./engram.config.json when present, or $ENGRAM_CONFIG)',
    );
  addConfigOptions(cmd);
  cmd.action(async (opts: { config?: string }) => {
    const { config } = resolveConfig({ flags: configFlags(cmd, program), configFile: opts.config });
    // Loaded here, not at the top: every other command would otherwise pay for Fastify and the MCP SDK.
    const { startServer } = await import('../../server/start.js');
    const server = await startServer(config, { handleSignals: true, version: packageVersion() });
    await server.closed;
  });
};
