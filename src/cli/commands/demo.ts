import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConversationFile } from '../../ingest/conversation-file.js';
import { ingestParsed } from '../../ingest/ingest.js';
import type { RegisterCommand } from '../context.js';

const SAMPLE = fileURLToPath(new URL('../../../examples/sample-conversation.jsonl', import.meta.url));
const QUERIES = [
  'what is Maya allergic to',
  'where does Maya live',
  'what is the name of her dog',
  'what does she teach',
];

export const registerDemo: RegisterCommand = (program, ctx) => {
  program
    .command('demo')
    .description('ingest the sample conversation shipped with Engram and run a few searches')
    .action(async () => {
      // A fresh file unless --db names one, so the demo never mixes with real memories.
      const path = program.opts().db ?? join(mkdtempSync(join(tmpdir(), 'engram-demo-')), 'demo.db');
      const engram = await ctx.open({ path });
      try {
        const parsed = parseConversationFile(readFileSync(SAMPLE, 'utf8'), SAMPLE);
        const report = await ingestParsed(engram, parsed);
        const results: {
          query: string;
          hits: { text: string; score: number; occurredAt: string; kind: string }[];
        }[] = [];
        for (const query of QUERIES) {
          const hits = await engram.search(query, { user: 'maya', k: 3, now: '2024-09-10T12:00:00Z' });
          results.push({
            query,
            hits: hits.map((h) => ({ text: h.text, score: h.score, occurredAt: h.occurredAt, kind: h.kind })),
          });
        }
        ctx.print({ database: path, ingested: report, results }, () =>
          [
            `Engram demo: ingested ${report.turns} turns (${report.facts} facts) into ${path}`,
            ...results.flatMap((r) => [
              '',
              `search: ${r.query}`,
              ...r.hits.map((h, i) => `  ${i + 1}. ${h.occurredAt.slice(0, 10)} [${h.kind}] ${h.text}`),
            ]),
          ].join('\n'),
        );
      } finally {
        await engram.close();
      }
    });
};
