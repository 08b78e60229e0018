/** `engram keys create|list|revoke`: API keys of the server, stored hashed in the database file. */
import type { Command } from 'commander';
import { resolveConfig } from '../../server/config.js';
import { openDatabase } from '../../server/database.js';
import { type ApiKey, ROLES, type Role, validateRole } from '../../server/keys.js';
import type { CliContext, RegisterCommand } from '../context.js';

/** The same database `engram serve` would use: --db, $ENGRAM_DB, the config file, then ./data/engram.db. */
function serverDb(program: Command, configFile: string | undefined): string {
  const db = program.opts<{ db?: string }>().db;
  return resolveConfig({ flags: db !== undefined ? { db } : {}, configFile }).config.db;
}

async function withKeys<T>(
  program: Command,
  configFile: string | undefined,
  fn: (keys: Awaited<ReturnType<typeof openDatabase>>['keys']) => Promise<T>,
): Promise<T> {
  // The engine opens first: it creates and marks a new file, and refuses a file that is not an Engram database.
  const { engram, keys } = await openDatabase({
    db: serverDb(program, configFile),
    embedder: 'none',
    maxTextLength: 1,
  });
  try {
    return await fn(keys);
  } finally {
    await keys.close();
    await engram.close();
  }
}

function row(k: ApiKey): string {
  const state = k.revokedAt ? `revoked ${k.revokedAt.slice(0, 10)}` : 'active';
  const used = k.lastUsedAt ? `last used ${k.lastUsedAt.slice(0, 16).replace('T', ' ')}` : 'never used';
  return `${k.id}  ${k.prefix}…  ${k.tenant}  ${k.role}  ${state}  ${used}${k.name ? `  ${k.name}` : ''}`;
}

export const registerKeys: RegisterCommand = (program, ctx: CliContext) => {
  const keys = program
    .command('keys')
    .description('manage API keys of the server (each bound to a tenant and a role: read, write, admin)')
    .option('--config <file>', 'server config file, to find its database');

  keys
    .command('create')
    .description('create a key and print it once (only its hash is stored)')
    .requiredOption('--tenant <tenant>', 'the tenant the key is confined to')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--name <name>', 'a label to recognise the key by')
    .action(async (opts: { tenant: string; role: string; name?: string }) => {
      const role: Role = validateRole(opts.role);
      const created = await withKeys(program, keys.opts().config, (store) =>
        store.create({ tenant: opts.tenant, role, name: opts.name ?? null }),
      );
      ctx.print(
        { ...created.key, secret: created.secret },
        () =>
          `${created.secret}\n\nAPI key ${created.key.id} (${created.key.role}, tenant "${created.key.tenant}"). ` +
          'Store it now: it is not shown again.\nUse it as: Authorization: Bearer <key>. ' +
          'A server started with --auth auto requires keys from its next start.',
      );
    });

  keys
    .command('list')
    .description('list keys (prefix, tenant, role, state; never the secret)')
    .option('--all', 'include revoked keys')
    .action(async (opts: { all?: boolean }) => {
      const list = await withKeys(program, keys.opts().config, (store) =>
        store.list({ includeRevoked: !!opts.all }),
      );
      ctx.print(list, () => (list.length === 0 ? 'No API keys.' : list.map(row).join('\n')));
    });

  keys
    .command('revoke')
    .description('revoke a key by id or prefix; the server refuses it from the next request')
    .argument('<id>', 'key id or visible prefix')
    .action(async (id: string) => {
      const revoked = await withKeys(program, keys.opts().config, (store) => store.revoke(id));
      ctx.print(revoked, `Revoked ${revoked.id} (${revoked.prefix}…, tenant "${revoked.tenant}").`);
    });
};
