import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { BuildContextOptions } from '../../memory/lifecycle/context.js';
import type { RegisterCommand } from '../context.js';

/** A commander parser for a whole number within bounds, failing with a message that names the option. */
export function wholeNumber(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new EngramError(
        ErrorCodes.INVALID_INPUT,
        `${name} must be a whole number from ${min} to ${max}; got "${value}"`,
      );
    }
    return n;
  };
}

export const registerContext: RegisterCommand = (program, ctx) => {
  program
    .command('context')
    .description('print a prompt-ready block of what memory knows about a query, within a token budget')
    .requiredOption('--user <user>', 'whose memories to use')
    .option(
      '--budget <tokens>',
      'token budget of the whole block (o200k tokens)',
      wholeNumber('--budget', 1, 1_000_000),
      1500,
    )
    .option('--now <iso8601>', 'reference time for "last week" etc. (default: now)')
    .option('--agent <agent>', 'only this agent')
    .option('--session <session>', 'only this session')
    .option('--drop-flagged', 'leave out memories that look like instructions instead of flagging them')
    .option('--no-reinforce', 'do not record the recall of the memories used')
    .argument('<query...>', 'the question the prompt is about')
    .action(async (words: string[], o) => {
      const engram = await ctx.open();
      try {
        const options: BuildContextOptions = {
          user: o.user,
          query: words.join(' '),
          tokenBudget: o.budget,
          reinforce: o.reinforce,
        };
        if (o.now) options.now = o.now;
        if (o.agent) options.agent = o.agent;
        if (o.session) options.session = o.session;
        if (o.dropFlagged) options.dropFlagged = true;
        const built = await engram.buildContext(options);
        ctx.print(built, () => built.text || `(nothing fits in ${built.budget} tokens)`);
      } finally {
        await engram.close();
      }
    });
};
