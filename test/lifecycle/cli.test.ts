import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { registerContext } from '../../src/cli/commands/context.js';
import { registerMaintain } from '../../src/cli/commands/maintain.js';
import type { CliContext } from '../../src/cli/context.js';
import { EngramError } from '../../src/core/errors.js';
import { open } from '../../src/memory/open.js';
import { tempDir } from '../helpers/cli.js';

/**
 * The two commands run in-process through commander against a real database file, with a CliContext that
 * captures what they print (fast, and every option reachable); the relocation story runs them through the
 * real binary.
 */
let dir: string;
let path: string;
before(async () => {
  dir = tempDir('engram-lifecycle-cli-');
  path = join(dir, 'e.db');
  const db = await open({ path, embedder: 'none' });
  await db.addConversation({
    user: 'u1',
    session: 's1',
    messages: [
      { speaker: 'Alice', text: 'I live in Paris.', at: '2023-01-10T10:00:00Z' },
      { speaker: 'Bob', text: 'Paris sounds lovely.', at: '2023-01-10T10:01:00Z' },
      { speaker: 'Alice', text: 'I work at Initech as a developer.', at: '2023-01-10T10:02:00Z' },
      { speaker: 'Alice', text: 'lol', at: '2023-01-10T10:03:00Z' },
    ],
  });
  await db.addConversation({
    user: 'u1',
    session: 's2',
    messages: [{ speaker: 'Alice', text: 'I moved to Berlin last week!', at: '2023-05-25T10:00:00Z' }],
  });
  await db.close();
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], json = true): Promise<unknown> {
  const printed: unknown[] = [];
  const ctx: CliContext = {
    globals: () => ({ db: path, json }),
    open: (options = {}) => open({ path, embedder: 'none', actor: 'cli', ...options }),
    print: (value, human) => printed.push(json ? value : typeof human === 'function' ? human() : human),
    progress: () => ({ tick() {}, done() {} }),
  };
  const program = new Command('engram').exitOverride();
  registerContext(program, ctx);
  registerMaintain(program, ctx);
  for (const sub of program.commands) sub.exitOverride();
  await program.parseAsync(['node', 'engram', ...args]);
  assert.equal(printed.length, 1);
  return printed[0];
}

describe('engram context', () => {
  it('prints the block as JSON with ids and token count', async () => {
    const out = (await run([
      'context',
      '--no-reinforce',
      '--user',
      'u1',
      '--budget',
      '1500',
      '--now',
      '2023-06-01T00:00:00Z',
      'where',
      'does',
      'Alice',
      'live',
    ])) as {
      text: string;
      tokens: number;
      ids: string[];
      facts: { text: string }[];
    };
    assert.equal(out.facts[0]?.text, 'Alice lives in Berlin (moved there in the week of 15 May 2023).');
    assert.ok(!out.text.includes('Alice lives in Paris'));
    assert.ok(out.tokens > 0 && out.tokens <= 1500);
    assert.equal(out.ids.length, new Set(out.ids).size);
  });

  it('prints the block itself without --json, and honours the budget', async () => {
    const text = (await run(
      ['context', '--no-reinforce', '--user', 'u1', '--budget', '70', 'where does Alice live'],
      false,
    )) as string;
    assert.match(text, /^<memory>\n/);
    assert.match(text, /Alice lives in Berlin/);
  });

  it('rejects a budget that is not a whole number', async () => {
    await assert.rejects(
      run(['context', '--user', 'u1', '--budget', 'lots', 'x']),
      (e: unknown) => e instanceof EngramError && e.code === 'INVALID_INPUT',
    );
  });
});

describe('engram maintain', () => {
  it('reports a dry run without changing anything, then does the work', async () => {
    const dry = (await run(['maintain', '--user', 'u1', '--now', '2023-06-01T00:00:00Z', '--dry-run'])) as {
      dryRun: boolean;
      archived: string[];
      summaries: { session: string }[];
    };
    assert.equal(dry.dryRun, true);
    assert.equal(dry.archived.length, 1);
    assert.deepEqual(
      dry.summaries.map((s) => s.session),
      ['s1'],
    );
    const human = (await run(
      ['maintain', '--user', 'u1', '--now', '2023-06-01T00:00:00Z', '--dry-run'],
      false,
    )) as string;
    assert.match(human, /dry run, nothing changed/);
    assert.match(human, /\n {5}1 faded memories archived \(would be\)/);

    const done = (await run(['maintain', '--now', '2023-06-01T00:00:00Z', '--ttl', 'u1=3650'])) as {
      dryRun: boolean;
      users: string[];
      archived: string[];
      expired: string[];
    };
    assert.equal(done.dryRun, false);
    assert.deepEqual(done.users, ['u1']);
    assert.deepEqual(done.expired, []);
    const db = await open({ path, embedder: 'none' });
    try {
      assert.equal((await db.get(done.archived[0]!)).text, 'lol');
      assert.equal((await db.list({ user: 'u1', kind: 'summary' })).items.length, 1);
    } finally {
      await db.close();
    }
  });

  it('rejects a malformed --ttl', async () => {
    await assert.rejects(
      run(['maintain', '--ttl', 'u1']),
      (e: unknown) => e instanceof EngramError && e.code === 'INVALID_INPUT',
    );
  });
});
