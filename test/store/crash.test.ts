import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { open } from '../../src/index.js';
import { freshPostgresUrl } from '../helpers/backend.js';
import { tempDir } from '../helpers/cli.js';

const TURNS = 24;
const dir = tempDir('engram-crash-');
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * SIGKILL while a child ingests conversation after conversation: every conversation is then either wholly
 * stored (turns, facts, history) or not at all, and every acknowledged one is whole.
 */
for (const [backend, location] of [
  ['SQLite', () => join(dir, 'crash.db')],
  ['PostgreSQL', () => freshPostgresUrl('crash')],
] as const) {
  describe(`crash during addConversation: ${backend}`, () => {
    test('a conversation is wholly there or wholly absent', async () => {
      const db = location();
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(import.meta.dirname, '..', 'helpers', 'conversation-child.ts'),
          db,
          '1000',
          String(TURNS),
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const acknowledged: string[] = [];
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise<void>((resolve) => {
        createInterface({ input: child.stdout! }).on('line', (line) => {
          acknowledged.push(line);
          // Kill a moment into the next conversation, not between two.
          if (acknowledged.length === 5) setImmediate(() => child.kill('SIGKILL'));
        });
        void exited.then(() => resolve());
      });
      assert.ok(acknowledged.length >= 5, 'the child acknowledged conversations before the kill');
      const e = await open({ path: db, embedder: 'none' });
      try {
        const turns = new Map<string, number>();
        let cursor: string | null = null;
        do {
          const page = await e.list({
            user: 'crash',
            kind: 'turn',
            limit: 1000,
            ...(cursor ? { cursor } : {}),
          });
          for (const m of page.items) turns.set(m.session!, (turns.get(m.session!) ?? 0) + 1);
          cursor = page.nextCursor;
        } while (cursor);
        for (const session of acknowledged)
          assert.equal(turns.get(session), TURNS, `${session} acknowledged but not whole`);
        for (const [session, n] of turns)
          assert.equal(n, TURNS, `${session} is partly stored (${n} of ${TURNS} turns)`);
        const facts = await e.list({ user: 'crash', kind: 'fact', limit: 1000 });
        for (const f of facts.items)
          if (f.session) assert.ok(turns.has(f.session), `fact of a missing conversation: ${f.text}`);
      } finally {
        await e.close();
      }
    });
  });
}
