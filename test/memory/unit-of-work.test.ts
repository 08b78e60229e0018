import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Memory } from '../../src/core/types.js';
import { open } from '../../src/memory/open.js';
import type { Engram } from '../../src/memory/types.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/types.js';
import { tempDir } from '../helpers/cli.js';
import { testIndexer } from '../helpers/store-ops.js';

/**
 * A store whose next `apply` gets one more op at the end that fails (an erase of a missing id), as a crash or a
 * constraint failure in the last write would: the whole change set must be rolled back.
 */
function failingLastOp(inner: Store): { store: Store; arm: () => void } {
  let armed = false;
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'apply') {
        return (changes: Parameters<Store['apply']>[0]) => {
          if (!armed) return target.apply(changes);
          armed = false;
          return target.apply({
            ...changes,
            ops: [...changes.ops, { op: 'erase', id: 'missing', actor: 'test' }],
          });
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store, arm: () => (armed = true) };
}

/** Everything stored for a user, with the number of history entries of each memory. */
async function snapshot(e: Engram, user: string): Promise<string[]> {
  const page = await e.list({
    user,
    includeArchived: true,
    includeDeleted: true,
    includeSuperseded: true,
    limit: 1000,
  });
  const out: string[] = [];
  for (const m of page.items as Memory[]) {
    out.push(JSON.stringify([m, (await e.history(m.id)).length]));
  }
  return out.sort();
}

describe('unit of work: one engine operation, one transaction', () => {
  let e: Engram;
  let arm: () => void;
  beforeEach(async () => {
    const failing = failingLastOp(
      SqliteStore.open(join(tempDir('engram-uow-'), 'u.db'), { indexer: testIndexer() }),
    );
    arm = failing.arm;
    e = await open({ store: failing.store, embedder: 'none', now: () => new Date('2023-06-01T00:00:00Z') });
  });
  afterEach(async () => {
    await e.close();
  });

  const say = (session: string, at: string, ...texts: string[]) =>
    e.addConversation({
      user: 'u1',
      session,
      messages: texts.map((text, i) => ({
        speaker: 'Alice',
        role: 'user',
        text,
        at: new Date(Date.parse(at) + i * 60_000).toISOString(),
      })),
    });

  it('addConversation whose last write fails leaves neither turns, facts, supersessions nor history', async () => {
    await say('s1', '2023-05-01T10:00:00Z', 'I live in Berlin.', 'I work as a nurse.');
    const before = await snapshot(e, 'u1');
    assert.ok(
      before.some((s) => s.includes('"kind":"fact"')),
      'precondition: facts were extracted',
    );
    arm();
    // Would add turns, a new fact and supersede the Berlin fact (and its source turn).
    await assert.rejects(say('s2', '2023-05-20T10:00:00Z', 'I live in Hamburg now.', 'Hamburg is rainy.'), {
      code: 'NOT_FOUND',
    });
    assert.deepEqual(await snapshot(e, 'u1'), before);
    // And the same conversation goes in whole once nothing fails.
    await say('s2', '2023-05-20T10:00:00Z', 'I live in Hamburg now.', 'Hamburg is rainy.');
    const after = await e.list({ user: 'u1', kind: 'fact', includeSuperseded: true });
    assert.ok(after.items.some((m) => m.text.includes('Hamburg')));
    assert.ok(after.items.some((m) => m.text.includes('Berlin') && m.validTo !== null));
  });

  it('maintain whose last write fails changes nothing', async () => {
    for (let i = 0; i < 2; i++) {
      await e.add({
        user: 'u1',
        kind: 'note',
        text: 'Remember to water the ferns',
        occurredAt: '2023-05-01T00:00:00Z',
      });
    }
    await e.addMany([
      { user: 'u1', kind: 'note', text: 'Remember to water the ferns.', occurredAt: '2023-05-02T00:00:00Z' },
      { user: 'u1', kind: 'note', text: 'old trivia', occurredAt: '2020-01-01T00:00:00Z', importance: 0 },
    ]);
    await say('s1', '2023-05-01T10:00:00Z', 'hello', 'we talked', 'about the garden', 'and the ferns');
    const before = await snapshot(e, 'u1');
    arm();
    await assert.rejects(e.maintain({ useLlm: false, minSessionTurns: 2 }), { code: 'NOT_FOUND' });
    assert.deepEqual(await snapshot(e, 'u1'), before);
    const report = await e.maintain({ useLlm: false, minSessionTurns: 2 });
    assert.ok(
      report.merged.length + report.archived.length + report.summaries.length > 0,
      'maintain had work',
    );
    assert.notDeepEqual(await snapshot(e, 'u1'), before);
  });
});
