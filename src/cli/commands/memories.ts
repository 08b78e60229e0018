import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { EventTime, ListQuery, Memory, MemoryInput, MemoryKind } from '../../core/types.js';
import { parseConversationFile } from '../../ingest/conversation-file.js';
import { ingestParsed } from '../../ingest/ingest.js';
import { describeFallbacks } from '../../memory/lifecycle/llm-fallback.js';
import { openStore } from '../../memory/open.js';
import type { SearchOptions } from '../../memory/types.js';
import { happenedLabel } from '../../text/time/events.js';
import type { RegisterCommand } from '../context.js';
import { terminalSafeJson } from '../safe-text.js';

const KINDS = ['turn', 'fact', 'summary', 'note'];

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseMeta(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new EngramError(ErrorCodes.INVALID_INPUT, `--meta takes key=value; got "${p}"`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

function positiveInt(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new EngramError(ErrorCodes.INVALID_INPUT, `${name} must be a positive whole number`);
    return n;
  };
}

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new EngramError(ErrorCodes.INVALID_INPUT, `Cannot read ${file}: ${(e as Error).message}`);
  }
}

function line(m: Memory): string {
  const who = m.speaker ?? m.role ?? '';
  return `${m.id}  ${m.occurredAt.slice(0, 16).replace('T', ' ')}  ${m.kind}${who ? `  ${who}:` : ''}  ${m.text}`;
}

export const registerMemoryCommands: RegisterCommand = (program, ctx) => {
  program
    .command('add')
    .description('store one memory and print its id')
    .requiredOption('--user <user>', 'whose memory it is')
    .option('--agent <agent>', 'agent scope')
    .option('--session <session>', 'session scope')
    .option('--speaker <name>', 'who said it')
    .option('--role <role>', 'conversation role (user, assistant, ...)')
    .option('--at <iso8601>', 'when it happened (default: now)')
    .addOption(new Option('--kind <kind>', 'memory kind').choices(KINDS).default('note'))
    .option('--importance <0..1>', 'importance from 0 to 1', Number)
    .option('--meta <key=value>', 'metadata entry (repeatable)', collect, [])
    .argument('<text...>', 'the text to remember')
    .action(async (words: string[], o) => {
      const engram = await ctx.open();
      try {
        const input: MemoryInput = { user: o.user, text: words.join(' '), kind: o.kind as MemoryKind };
        if (o.agent) input.agent = o.agent;
        if (o.session) input.session = o.session;
        if (o.speaker) input.speaker = o.speaker;
        if (o.role) input.role = o.role;
        if (o.at) input.occurredAt = o.at;
        if (o.importance !== undefined) input.importance = o.importance;
        if (o.meta.length > 0) input.metadata = parseMeta(o.meta);
        const [outcome] = await engram.addWithOutcome([input]);
        const { memory: m, restated } = outcome!;
        if (restated && !ctx.globals().json) {
          process.stderr.write('already stored: reinforced that memory and kept what was new\n');
        }
        ctx.print({ ...m, restated }, m.id);
      } finally {
        await engram.close();
      }
    });

  program
    .command('ingest')
    .description('store a conversation file: JSON array or JSONL of messages, or a LoCoMo conversation')
    .option('--user <user>', 'user for messages without one (LoCoMo: default is the file name)')
    .option('--session <session>', 'session for messages without one')
    .argument('<file>', 'conversation file, or - for standard input')
    .action(async (file: string, o) => {
      const parsed = parseConversationFile(readInput(file), file === '-' ? 'stdin' : file, o);
      const engram = await ctx.open();
      const progress = ctx.progress('ingest');
      try {
        const report = await ingestParsed(engram, parsed, {
          user: o.user,
          onProgress: (d, t) => progress.tick(d, t),
        });
        progress.done();
        const warning = describeFallbacks(report.llmFallbacks);
        if (warning) process.stderr.write(`engram: warning: ${warning}\n`);
        ctx.print(
          report,
          `ingested ${report.turns} turns in ${report.sessions} sessions for ${report.users.join(', ')}` +
            (report.facts ? ` (${report.facts} facts)` : ''),
        );
      } finally {
        await engram.close();
      }
    });

  program
    .command('search')
    .description('find the memories that best match a query')
    .requiredOption('--user <user>', 'whose memories to search')
    .option('--k <n>', 'number of hits', positiveInt('--k'), 10)
    .option('--now <iso8601>', 'reference time for "last week" etc. (default: now)')
    .option('--session <session>', 'only this session')
    .option('--agent <agent>', 'only this agent')
    .addOption(new Option('--kind <kind>', 'only this kind').choices(KINDS))
    .addOption(
      new Option('--mode <mode>', 'retrievers to use')
        .choices(['hybrid', 'bm25', 'vector'])
        .default('hybrid'),
    )
    .option('--include-superseded', 'also return facts that were superseded')
    .option('--include-archived', 'also return archived memories')
    .option(
      '--as-of <iso8601>',
      'only memories valid at this time; relative words in the query mean this time unless --now is given',
    )
    .option('--explain', 'show the score breakdown of each hit')
    .argument('<query...>', 'what to look for')
    .action(async (words: string[], o) => {
      const engram = await ctx.open();
      try {
        const opts: SearchOptions = { user: o.user, k: o.k, mode: o.mode };
        if (o.now) opts.now = o.now;
        if (o.session) opts.session = o.session;
        if (o.agent) opts.agent = o.agent;
        if (o.kind) opts.kind = o.kind;
        if (o.includeSuperseded) opts.includeSuperseded = true;
        if (o.includeArchived) opts.includeArchived = true;
        if (o.asOf) opts.asOf = o.asOf;
        if (o.explain) opts.explain = true;
        const hits = await engram.search(words.join(' '), opts);
        const json = {
          hits: hits.map((h) => {
            const out: Record<string, unknown> = {
              id: h.id,
              text: h.text,
              score: h.score,
              kind: h.kind,
              speaker: h.speaker,
              session: h.session,
              occurredAt: h.occurredAt,
              eventTimes: h.eventTimes,
              metadata: h.metadata,
            };
            if (h.explain) out.explain = h.explain;
            return out;
          }),
        };
        ctx.print(json, () =>
          hits.length === 0
            ? 'no matching memories'
            : hits
                .map(
                  (h, i) =>
                    `${String(i + 1).padStart(2)}. [${h.score.toFixed(4)}] ${h.occurredAt.slice(0, 10)}${eventLabel(h.eventTimes)} ${h.speaker ? `${h.speaker}: ` : ''}${h.text}` +
                    (h.explain ? `\n      ${JSON.stringify(h.explain)}` : ''),
                )
                .join('\n'),
        );
      } finally {
        await engram.close();
      }
    });

  program
    .command('get')
    .description('show one memory')
    .argument('<id>')
    .action(async (id: string) => {
      const engram = await ctx.open({ embedder: 'none' });
      try {
        const m = await engram.get(id);
        ctx.print(m, () => JSON.stringify(m, null, 2));
      } finally {
        await engram.close();
      }
    });

  program
    .command('list')
    .description('list memories, oldest first, a page at a time')
    .option('--user <user>', 'only this user')
    .option('--session <session>', 'only this session')
    .option('--agent <agent>', 'only this agent')
    .addOption(new Option('--kind <kind>', 'only this kind').choices(KINDS))
    .option('--from <iso8601>', 'occurred at or after')
    .option('--to <iso8601>', 'occurred before')
    .option('--limit <n>', 'page size (max 1000)', positiveInt('--limit'), 50)
    .option('--cursor <cursor>', 'nextCursor of the previous page')
    .option('--include-deleted', 'also list soft-deleted memories')
    .option('--include-archived', 'also list archived memories')
    .action(async (o) => {
      const engram = await ctx.open({ embedder: 'none' });
      try {
        const q: ListQuery = {
          limit: o.limit,
          includeDeleted: !!o.includeDeleted,
          includeArchived: !!o.includeArchived,
        };
        if (o.user) q.user = o.user;
        if (o.session) q.session = o.session;
        if (o.agent) q.agent = o.agent;
        if (o.kind) q.kind = o.kind;
        if (o.from || o.to)
          q.occurred = { ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) };
        if (o.cursor) q.cursor = o.cursor;
        const page = await engram.list(q);
        ctx.print(
          page,
          () =>
            [
              ...page.items.map(line),
              ...(page.nextCursor ? [`-- more: --cursor ${page.nextCursor}`] : []),
            ].join('\n') || 'no memories',
        );
      } finally {
        await engram.close();
      }
    });

  program
    .command('update')
    .description('change the text of a memory (the old text stays in its history)')
    .argument('<id>')
    .argument('<text...>')
    .action(async (id: string, words: string[]) => {
      const engram = await ctx.open();
      try {
        const m = await engram.update(id, { text: words.join(' ') });
        ctx.print(m, `updated ${m.id}`);
      } finally {
        await engram.close();
      }
    });

  program
    .command('delete')
    .description('soft-delete a memory: gone from search and lists, kept in history')
    .argument('<id>')
    .action(async (id: string) => {
      const engram = await ctx.open({ embedder: 'none' });
      try {
        const m = await engram.delete(id);
        ctx.print(m, `deleted ${m.id}`);
      } finally {
        await engram.close();
      }
    });

  program
    .command('erase')
    .description('hard-erase a memory, or every memory of a user, from rows, index, history and the file')
    .argument('[id]')
    .option('--user <user>', 'erase everything of this user')
    .option(
      '--compact',
      'PostgreSQL: then rewrite the tables (VACUUM FULL, locks them meanwhile) so no old row version keeps the text',
    )
    .action(async (id: string | undefined, o) => {
      if ((id === undefined) === (o.user === undefined)) {
        throw new EngramError(ErrorCodes.INVALID_INPUT, 'erase takes an id or --user, not both');
      }
      const engram = await ctx.open({ embedder: 'none' });
      let r: Awaited<ReturnType<typeof engram.erase>>;
      try {
        r = await engram.erase(id !== undefined ? { id } : { user: o.user });
      } finally {
        await engram.close();
      }
      // SQLite overwrites freed pages as it erases; PostgreSQL keeps dead row versions until a table rewrite.
      let compaction: { complete: boolean; reason?: string } | null = null;
      if (o.compact) {
        const store = await openStore(ctx.globals().db);
        try {
          if ('compact' in store && typeof store.compact === 'function') {
            compaction = await (store.compact as () => Promise<{ complete: boolean; reason?: string }>)();
          }
        } finally {
          await store.close();
        }
      }
      const rewritten =
        compaction === null
          ? ''
          : compaction.complete
            ? '; tables rewritten'
            : `; tables rewritten, but old row versions may remain: ${compaction.reason}`;
      const erased = `erased ${r.erased} memor${r.erased === 1 ? 'y' : 'ies'}${rewritten}`;
      ctx.print(
        { ...r, compacted: compaction?.complete ?? false, ...(compaction ? { compaction } : {}) },
        r.purged === false ? `${erased}; not yet purged from the file: ${r.reason}` : erased,
      );
    });

  program
    .command('history')
    .description('every change of a memory')
    .argument('<id>')
    .action(async (id: string) => {
      const engram = await ctx.open({ embedder: 'none' });
      try {
        const entries = await engram.history(id);
        ctx.print({ history: entries }, () =>
          entries
            .map(
              (e) =>
                `${e.at}  ${e.action.padEnd(9)} by ${e.actor}${e.after?.text ? `  "${e.after.text}"` : ''}`,
            )
            .join('\n'),
        );
      } finally {
        await engram.close();
      }
    });

  program
    .command('export')
    .description('write memories as JSONL to standard output (every field)')
    .option('--user <user>', 'only this user')
    .action(async (o) => {
      const engram = await ctx.open({ embedder: 'none' });
      try {
        for await (const l of engram.export(o.user ? { user: o.user } : {}))
          process.stdout.write(`${terminalSafeJson(l)}\n`);
      } finally {
        await engram.close();
      }
    });

  program
    .command('import')
    .description('read a JSONL export (all or nothing)')
    .argument('<file>', 'JSONL file, or - for standard input')
    .action(async (file: string) => {
      const text = readInput(file);
      const engram = await ctx.open();
      try {
        const r = await engram.import(text);
        ctx.print(r, `imported ${r.imported} memories`);
      } finally {
        await engram.close();
      }
    });

  program
    .command('stats')
    .description('counts and sizes')
    .action(async () => {
      const engram = await ctx.open({ embedder: 'none' });
      try {
        const s = await engram.stats();
        ctx.print(s, () =>
          [
            `memories: ${s.memories} (${
              Object.entries(s.byKind)
                .map(([k, n]) => `${k} ${n}`)
                .join(', ') || 'none'
            })`,
            `users: ${s.users}, sessions: ${s.sessions}, history entries: ${s.historyEntries}`,
            `vectors: ${
              Object.entries(s.vectors)
                .map(([k, n]) => `${k} ${n}`)
                .join(', ') || 'none'
            }`,
            `database: ${s.dbBytes ?? '?'} bytes, schema v${s.schemaVersion}`,
          ].join('\n'),
        );
      } finally {
        await engram.close();
      }
    });
};

/** " (happened 2023-09-10)" for a hit whose text dates what it tells of; one label per event range. */
function eventLabel(events: readonly EventTime[]): string {
  const label = happenedLabel(events);
  return label ? ` (${label})` : '';
}
