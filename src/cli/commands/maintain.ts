import { EngramError, ErrorCodes } from '../../core/errors.js';
import { describeFallbacks } from '../../memory/lifecycle/llm-fallback.js';
import type { MaintainOptions, MaintainReport } from '../../memory/lifecycle/maintain.js';
import type { RegisterCommand } from '../context.js';
import { wholeNumber } from './context.js';

function collectTtl(value: string, previous: Record<string, number>): Record<string, number> {
  const eq = value.lastIndexOf('=');
  const days = Number(value.slice(eq + 1));
  if (eq <= 0 || !Number.isFinite(days) || days < 0) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `--ttl takes USER=DAYS (USER "*" for everyone else); got "${value}"`,
    );
  }
  return { ...previous, [value.slice(0, eq)]: days };
}

function describe(r: MaintainReport): string {
  const verb = r.dryRun ? 'would be' : '';
  const line = (n: number, what: string) => `${String(n).padStart(6)} ${what}${verb ? ` (${verb})` : ''}`;
  return [
    `maintenance of ${r.users.length} user(s) at ${r.now}${r.dryRun ? ' — dry run, nothing changed' : ''}`,
    line(r.expired.length, 'expired by TTL'),
    line(r.resolved.length, 'conflicting facts closed'),
    line(
      r.merged.reduce((n, m) => n + m.removed.length, 0),
      'duplicates merged',
    ),
    line(r.archived.length, 'faded memories archived'),
    line(r.summaries.length, 'session summaries written'),
    ...(r.mentionsScanned > 0
      ? [line(r.mentionsScanned, 'older memories read for the entities they mention')]
      : []),
    ...(r.llmRetried.turns > 0
      ? [line(r.llmRetried.turns, `turns re-extracted with the LLM (${r.llmRetried.facts} facts)`)]
      : []),
  ].join('\n');
}

export const registerMaintain: RegisterCommand = (program, ctx) => {
  program
    .command('maintain')
    .description(
      'merge duplicates, close conflicting facts, archive faded memories, apply TTLs, write session summaries',
    )
    .option('--user <user>', 'only this user (default: every user)')
    .option('--now <iso8601>', 'reference time for decay and TTLs (default: now)')
    .option(
      '--ttl-days <days>',
      'delete memories older than this many days, for every user',
      wholeNumber('--ttl-days', 0, 1_000_000),
    )
    .option('--ttl <user=days>', 'TTL of one user (repeatable; user "*" for the rest)', collectTtl, {})
    .option('--erase-expired', 'erase expired memories instead of deleting them (soft)')
    .option(
      '--min-session-turns <n>',
      'summarise sessions with at least this many turns',
      wholeNumber('--min-session-turns', 1, 1_000_000),
      4,
    )
    .option('--no-summaries', 'do not write session summaries')
    .option('--no-archive', 'do not archive faded memories')
    .option('--no-merge', 'do not merge duplicates')
    .option('--no-llm', 'do not use the configured LLM for summaries')
    .option('--dry-run', 'report what would change, change nothing')
    .action(async (o) => {
      const engram = await ctx.open();
      try {
        const options: MaintainOptions = {
          minSessionTurns: o.minSessionTurns,
          summarize: o.summaries,
          archive: o.archive,
          mergeDuplicates: o.merge,
          useLlm: o.llm,
          dryRun: !!o.dryRun,
        };
        if (o.user) options.user = o.user;
        if (o.now) options.now = o.now;
        const perUser = o.ttl as Record<string, number>;
        if (Object.keys(perUser).length > 0) {
          options.ttlDays = o.ttlDays !== undefined ? { '*': o.ttlDays, ...perUser } : perUser;
        } else if (o.ttlDays !== undefined) {
          options.ttlDays = o.ttlDays;
        }
        if (o.eraseExpired) options.ttlAction = 'erase';
        const report = await engram.maintain(options);
        const warning = describeFallbacks(report.llmFallbacks);
        if (warning) process.stderr.write(`engram: warning: ${warning}\n`);
        ctx.print(report, () => describe(report));
      } finally {
        await engram.close();
      }
    });
};
