import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { EntityType } from '../../entities/types.js';
import type { RegisterCommand } from '../context.js';
import { wholeNumber } from './context.js';

const TYPES: readonly EntityType[] = ['person', 'place', 'organization', 'pet', 'work', 'activity'];

export const registerEntities: RegisterCommand = (program, ctx) => {
  program
    .command('entities')
    .description('list the people, places, organisations, pets, works and activities a user talks about')
    .requiredOption('--user <user>', 'whose memories to read')
    .option('--type <type>', `only one type: ${TYPES.join(', ')}`)
    .option('--limit <n>', 'at most this many', wholeNumber('--limit', 1, 100_000), 100)
    .action(async (o) => {
      const engram = await ctx.open();
      try {
        if (o.type !== undefined && !TYPES.includes(o.type)) {
          throw new EngramError(ErrorCodes.INVALID_INPUT, `--type must be one of ${TYPES.join(', ')}`);
        }
        const list = await engram.entities({
          user: o.user,
          limit: o.limit,
          ...(o.type !== undefined ? { type: o.type } : {}),
        });
        ctx.print(list, () =>
          list.length === 0
            ? `(no entities in the memories of ${o.user})`
            : list
                .map(
                  (e) =>
                    `${e.name.padEnd(24)} ${e.type.padEnd(12)} ${String(e.mentions).padStart(4)} mentions  ${e.firstSeen.slice(0, 10)} … ${e.lastSeen.slice(0, 10)}${also(e.aliases)}`,
                )
                .join('\n'),
        );
      } finally {
        await engram.close();
      }
    });

  program
    .command('profile')
    .description('what memory knows about one entity: facts (current and past), timeline, related entities')
    .requiredOption('--user <user>', 'whose memories to read')
    .option('--limit <n>', 'timeline entries, latest kept', wholeNumber('--limit', 1, 100_000), 50)
    .argument('<name...>', 'a name ("Ana"), an alias, or a relation ("my sister")')
    .action(async (words: string[], o) => {
      const engram = await ctx.open();
      try {
        const p = await engram.profile({ user: o.user, entity: words.join(' '), limit: o.limit });
        ctx.print(p, () => {
          const lines = [`${p.entity.name} (${p.entity.type}), ${p.entity.mentions} mentions`];
          if (p.facts.current.length > 0) {
            lines.push('Current facts:');
            for (const f of p.facts.current) lines.push(`  - (${f.validFrom.slice(0, 10)}) ${f.text}`);
          }
          if (p.facts.superseded.length > 0) {
            lines.push('Earlier facts:');
            for (const f of p.facts.superseded)
              lines.push(`  - (${f.validFrom.slice(0, 10)} to ${(f.validTo ?? '').slice(0, 10)}) ${f.text}`);
          }
          lines.push('Timeline:');
          for (const m of p.timeline)
            lines.push(
              `  - (${m.occurredAt.slice(0, 10)}${m.session ? `, ${m.session}` : ''}) ${m.speaker ?? m.kind}: ${m.text}`,
            );
          if (p.related.length > 0)
            lines.push(`Related: ${p.related.map((r) => `${r.name} (${r.together})`).join(', ')}`);
          return lines.join('\n');
        });
      } finally {
        await engram.close();
      }
    });
};

/** Aliases a person reads (names, "Maya's sister"), not the internal keys. */
function also(aliases: string[]): string {
  const shown = aliases.filter((a) => !/^[a-z]+:/.test(a));
  return shown.length > 0 ? `  (also: ${shown.join(', ')})` : '';
}
