import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { EngramError } from '../../src/core/errors.js';
import { createOpenAIChatClient } from '../../src/llm/openai-chat.js';
import type { EngramEngine } from '../../src/memory/engine.js';
import { maintain } from '../../src/memory/lifecycle/maintain.js';
import { extractiveSummary } from '../../src/memory/lifecycle/summaries.js';
import { open } from '../../src/memory/open.js';
import { testDb } from '../helpers/backend.js';
import { tempDir } from '../helpers/cli.js';
import { makeMemory } from '../helpers/memory-factory.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../helpers/tiny-openai-server.js';

const NOW = '2023-06-01T00:00:00.000Z';
let dir: string;
let db: EngramEngine;
beforeEach(async () => {
  dir = tempDir('engram-maintain-');
  db = (await open({
    path: testDb(dir, 'e.db'),
    embedder: 'none',
    now: () => new Date(NOW),
  })) as EngramEngine;
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const fact = (user: string, value: string, text: string, at: string, attribute = 'lives_in') =>
  db.add({
    user,
    kind: 'fact',
    text,
    occurredAt: at,
    metadata: { subject: 'Alice', attribute, value, sourceIds: [], language: 'en' },
  });

describe('maintain', () => {
  it('deletes memories past a per-user TTL and keeps the rest', async () => {
    const old = await db.add({ user: 'u1', text: 'an old note', occurredAt: '2023-01-01T00:00:00Z' });
    const fresh = await db.add({ user: 'u1', text: 'a fresh note', occurredAt: '2023-05-20T00:00:00Z' });
    const otherOld = await db.add({
      user: 'u2',
      text: 'an old note of u2',
      occurredAt: '2023-01-01T00:00:00Z',
    });
    const report = await maintain(db.context(), {
      ttlDays: { u1: 30, '*': 365 },
      summarize: false,
      archive: false,
    });
    assert.deepEqual(report.users, ['u1', 'u2']);
    assert.deepEqual(report.expired, [old.id]);
    assert.equal((await db.get(old.id)).status, 'deleted');
    assert.deepEqual(
      (await db.history(old.id)).map((h) => h.action),
      ['add', 'delete'],
    );
    assert.equal((await db.get(fresh.id)).status, 'active');
    assert.equal((await db.get(otherOld.id)).status, 'active');
  });

  it('erases expired memories with ttlAction "erase"', async () => {
    const old = await db.add({ user: 'u1', text: 'a secret old note', occurredAt: '2023-01-01T00:00:00Z' });
    await maintain(db.context(), { ttlDays: 30, ttlAction: 'erase', summarize: false });
    await assert.rejects(db.get(old.id), (e: unknown) => e instanceof EngramError && e.code === 'NOT_FOUND');
  });

  it('closes all but the latest of conflicting current facts', async () => {
    const paris = await fact('u1', 'Paris', 'Alice lives in Paris.', '2023-01-01T00:00:00Z');
    const berlin = await fact('u1', 'Berlin', 'Alice lives in Berlin.', '2023-03-01T00:00:00Z');
    const report = await maintain(db.context(), { user: 'u1', summarize: false, archive: false });
    assert.deepEqual(report.resolved, [{ closed: paris.id, by: berlin.id }]);
    const closed = await db.get(paris.id);
    assert.equal(closed.supersededBy, berlin.id);
    assert.equal(closed.validTo, berlin.validFrom);
  });

  it('merges duplicate facts and notes into the oldest, keeping the others in history', async () => {
    const a = await fact(
      'u1',
      'penicillin',
      'Alice is allergic to penicillin.',
      '2023-01-01T00:00:00Z',
      'allergy',
    );
    const b = await fact(
      'u1',
      'Penicillin',
      'Alice has a penicillin allergy.',
      '2023-02-01T00:00:00Z',
      'allergy',
    );
    const n1 = await db.add({ user: 'u1', text: 'Buy milk', occurredAt: '2023-05-01T00:00:00Z' });
    const n2 = await db.add({ user: 'u1', text: 'buy MILK!', occurredAt: '2023-05-02T00:00:00Z' });
    await db.update(b.id, { metadata: { ...b.metadata, sourceIds: ['T2'] } });
    const report = await maintain(db.context(), { user: 'u1', summarize: false, archive: false });
    assert.deepEqual(report.merged, [
      { kept: a.id, removed: [b.id] },
      { kept: n1.id, removed: [n2.id] },
    ]);
    const kept = await db.get(a.id);
    assert.deepEqual(kept.metadata.sourceIds, ['T2']);
    assert.deepEqual(kept.metadata.mergedFrom, [b.id]);
    const gone = await db.get(b.id);
    assert.equal(gone.status, 'deleted');
    assert.equal(gone.metadata.mergedInto, a.id);
    assert.equal((await db.get(n2.id)).status, 'deleted');
  });

  it('archives faded, unimportant memories; they stay findable with includeArchived', async () => {
    const chat = await db.add({
      user: 'u1',
      text: 'lol ok whatever',
      occurredAt: '2023-01-01T00:00:00Z',
      importance: 0.1,
    });
    const keep = await db.add({
      user: 'u1',
      text: 'whatever happens, my passport expires in July',
      occurredAt: '2023-01-01T00:00:00Z',
      importance: 0.6,
    });
    const recent = await db.add({
      user: 'u1',
      text: 'whatever, pizza tonight',
      occurredAt: '2023-05-31T00:00:00Z',
      importance: 0.1,
    });
    const report = await maintain(db.context(), { user: 'u1', summarize: false });
    assert.deepEqual(report.archived, [chat.id]);
    assert.equal((await db.get(chat.id)).status, 'archived');
    assert.deepEqual(
      (await db.history(chat.id)).map((h) => h.action),
      ['add', 'archive'],
    );
    assert.ok(!(await db.search('whatever', { user: 'u1', reinforce: false })).some((h) => h.id === chat.id));
    assert.ok(
      (await db.search('whatever', { user: 'u1', includeArchived: true, reinforce: false })).some(
        (h) => h.id === chat.id,
      ),
    );
    assert.equal((await db.get(keep.id)).status, 'active');
    assert.equal((await db.get(recent.id)).status, 'active');
  });

  it('archives a faded turn only when a fact or a summary still says it, or it says nothing', async () => {
    const turn = (text: string, importance = 0.2) =>
      db.add({
        user: 'u1',
        kind: 'turn',
        session: 'old',
        speaker: 'Alice',
        text,
        occurredAt: '2023-01-01T00:00:00Z',
        importance,
      });
    const alone = await turn('which one did you pick?');
    const covered = await turn('ok the blue one');
    const chat = await turn('lol', 0.1);
    await db.add({
      user: 'u1',
      kind: 'fact',
      text: 'Alice picked the blue bike.',
      occurredAt: '2023-01-01T00:00:00Z',
      importance: 0.5,
      metadata: { subject: 'Alice', attribute: 'owns', value: 'blue bike', sourceIds: [covered.id] },
    });
    const report = await maintain(db.context(), { user: 'u1', summarize: false });
    assert.deepEqual(new Set(report.archived), new Set([covered.id, chat.id]));
    assert.equal((await db.get(alone.id)).status, 'active');
    assert.equal((await db.get(covered.id)).status, 'archived');
  });

  it('writes an extractive summary per session, and rewrites it when the session grows', async () => {
    const messages = [
      'Hi Bob!',
      'I finally adopted a dog from the shelter, his name is Max.',
      'Max loves the park near the river.',
      'We walk to the park every morning before work.',
      'Thanks!',
    ].map((text, i) => ({ speaker: i % 2 ? 'Bob' : 'Alice', text, at: `2023-05-20T10:0${i}:00Z` }));
    await db.addConversation({ user: 'u1', session: 's1', messages });
    const first = await maintain(db.context(), { user: 'u1', archive: false });
    assert.equal(first.summaries.length, 1);
    const summary = await db.get(first.summaries[0]!.id);
    assert.equal(summary.kind, 'summary');
    assert.equal(summary.session, 's1');
    assert.equal(summary.metadata.summaryOf, 's1');
    assert.equal(summary.metadata.method, 'extractive');
    assert.equal(summary.metadata.turnCount, 5);
    assert.match(summary.text, /^Session s1 on 2023-05-20 with Alice, Bob:/);
    assert.match(summary.text, /park/);
    assert.ok(!summary.text.includes('Thanks!'));

    assert.deepEqual((await maintain(db.context(), { user: 'u1', archive: false })).summaries, []);
    await db.addConversation({
      user: 'u1',
      session: 's1',
      messages: [{ speaker: 'Alice', text: 'Max learned to sit today.', at: '2023-05-20T11:00:00Z' }],
    });
    const again = await maintain(db.context(), { user: 'u1', archive: false });
    assert.deepEqual(again.summaries, [
      { id: summary.id, session: 's1', method: 'extractive', replaced: true },
    ]);
    assert.equal((await db.get(summary.id)).metadata.turnCount, 6);
  });

  it('changes nothing in a dry run', async () => {
    const old = await db.add({
      user: 'u1',
      text: 'an old note',
      occurredAt: '2023-01-01T00:00:00Z',
      importance: 0.1,
    });
    const before = await db.stats();
    const report = await maintain(db.context(), { ttlDays: 30, dryRun: true });
    assert.deepEqual(report.expired, [old.id]);
    assert.equal(report.dryRun, true);
    assert.deepEqual(await db.stats(), before);
    assert.equal((await db.get(old.id)).status, 'active');
  });

  it('rejects bad options with a clear error', async () => {
    await assert.rejects(
      maintain(db.context(), { archiveStrengthBelow: 2 }),
      (e: unknown) => e instanceof EngramError && e.code === 'INVALID_INPUT',
    );
    await assert.rejects(
      maintain(db.context(), { now: 'soon' }),
      (e: unknown) => e instanceof EngramError && e.code === 'INVALID_DATE',
    );
    await db.add({ user: 'u1', text: 'x' });
    await assert.rejects(
      maintain(db.context(), { ttlDays: { u1: -1 } }),
      (e: unknown) => e instanceof EngramError && e.code === 'INVALID_INPUT',
    );
  });
});

describe('session summaries with an LLM', () => {
  let server: FakeOpenAIServer;
  before(async () => {
    server = await startFakeOpenAIServer();
  });
  after(async () => {
    await server.close();
  });

  const turns = [
    'I adopted a dog named Max.',
    'He is a beagle.',
    'We go to the park daily.',
    'He loves it there.',
  ].map((text, i) =>
    makeMemory({
      kind: 'turn',
      speaker: 'Alice',
      text,
      occurredAt: `2023-05-20T10:0${i}:00.000Z`,
      session: 's1',
    }),
  );

  it('uses a valid LLM summary and falls back to the extractive one otherwise', async () => {
    const llm = createOpenAIChatClient({
      baseUrl: server.url,
      model: 'fake-chat',
      timeoutMs: 2000,
      maxRetries: 0,
    });
    const { summarizeSession } = await import('../../src/memory/lifecycle/summaries.js');
    server.queue({
      json: {
        choices: [
          { message: { content: '{"summary":"Alice adopted Max, a beagle."}' }, finish_reason: 'stop' },
        ],
      },
    });
    const good = await summarizeSession(turns, llm);
    assert.equal(good.method, 'llm');
    assert.equal(good.text, 'Session s1 on 2023-05-20 with Alice: Alice adopted Max, a beagle.');
    server.queue({ json: { choices: [{ message: { content: '{"summary": 42}' }, finish_reason: 'stop' }] } });
    const { llmError, ...bad } = await summarizeSession(turns, llm);
    assert.deepEqual(bad, await extractiveSummary(turns));
    // The failure is handed back for the maintenance report, not swallowed.
    assert.match(String(llmError), /expected string, received number/);
  });
});
