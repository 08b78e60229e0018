import type { AskOptions } from '../../memory/ask.js';
import type { RegisterCommand } from '../context.js';
import { wholeNumber } from './context.js';

export const registerAsk: RegisterCommand = (program, ctx) => {
  program
    .command('ask')
    .description('answer a question from memory with the LLM (--llm), citing the memories used')
    .requiredOption('--user <user>', 'whose memories to use')
    .option(
      '--budget <tokens>',
      'token budget of the memory context given to the LLM (o200k tokens)',
      wholeNumber('--budget', 1, 1_000_000),
      1500,
    )
    .option('--now <iso8601>', 'reference time for "last week" etc. (default: now)')
    .option('--agent <agent>', 'only this agent')
    .option('--session <session>', 'only this session')
    .argument('<question...>', 'the question')
    .action(async (words: string[], o) => {
      const engram = await ctx.open();
      try {
        const options: AskOptions = { user: o.user, question: words.join(' '), tokenBudget: o.budget };
        if (o.now) options.now = o.now;
        if (o.agent) options.agent = o.agent;
        if (o.session) options.session = o.session;
        const result = await engram.ask(options);
        ctx.print(result, () =>
          [result.answer, ...(result.citations.length ? [`cited: ${result.citations.join(', ')}`] : [])].join(
            '\n',
          ),
        );
      } finally {
        await engram.close();
      }
    });
};
