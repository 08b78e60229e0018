/** `engram migrate --from SRC --to DST`: moves a whole database between SQLite and PostgreSQL. */
import { openStore } from '../../memory/open.js';
import { migrateDatabase } from '../../store/transfer/migrate.js';
import type { RegisterCommand } from '../context.js';

export const registerMigrate: RegisterCommand = (program, ctx) => {
  program
    .command('migrate')
    .description(
      'copy every memory, vector, history entry, entity mention, event time and API key to an empty database (SQLite file or postgres:// URL); all or nothing, counts verified',
    )
    .requiredOption('--from <location>', 'source database: a SQLite file or a postgres:// URL')
    .requiredOption('--to <location>', 'destination database (created if missing; must be empty)')
    .action(async (o: { from: string; to: string }) => {
      // Opening each through the store creates or upgrades its schema and refuses a database that is not Engram's.
      await (await openStore(o.from)).close();
      await (await openStore(o.to)).close();
      let current = '';
      let bar = ctx.progress('migrate');
      const result = await migrateDatabase(o.from, o.to, (phase, done, total) => {
        if (phase !== current) {
          if (current) bar.done();
          current = phase;
          bar = ctx.progress(`copying ${phase}`);
        }
        bar.tick(done, total);
      });
      if (current) bar.done();
      // The destination's full-text index is rebuilt now rather than on first use.
      const rebuild = ctx.progress('rebuilding the full-text index');
      await (await openStore(o.to)).close();
      rebuild.done();
      const { memories, vectors, history, mentions, eventTimes, keys } = result.to;
      ctx.print(
        {
          migrated: result.to,
          from: o.from.replace(/:[^:@/]*@/, ':***@'),
          to: o.to.replace(/:[^:@/]*@/, ':***@'),
        },
        `migrated ${memories} memories, ${vectors} vectors, ${history} history entries, ${mentions} entity mentions, ${eventTimes} event times, ${keys} keys (counts verified)`,
      );
    });
};
