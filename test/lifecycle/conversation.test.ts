import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { EngramError } from '../../src/core/errors.js';
import type { Memory } from '../../src/core/types.js';
import { createOpenAIChatClient } from '../../src/llm/openai-chat.js';
import { open } from '../../src/memory/open.js';
import type { Engram } from '../../src/memory/types.js';
import { testDb } from '../helpers/backend.js';
import { tempDir } from '../helpers/cli.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../helpers/tiny-openai-server.js';

let dir: string;
let db: Engram;
beforeEach(async () => {
  dir = tempDir('engram-lifecycle-');
  db = await open({
    path: testDb(dir, 'e.db'),
    embedder: 'none',
    now: () => new Date('2023-06-01T00:00:00Z'),
  });
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const say = (session: string, at: string, ...texts: string[]) =>
  db.addConversation({
    user: 'u1',
    session,
    messages: texts.map((text, i) => ({
      speaker: 'Alice',
      role: 'user',
      text,
      at: new Date(Date.parse(at) + i * 60_000).toISOString(),
    })),
  });

async function facts(
  options: { includeSuperseded?: boolean; includeArchived?: boolean } = {},
): Promise<Memory[]> {
  const page = await db.list({
    user: 'u1',
    kind: 'fact',
    includeSuperseded: options.includeSuperseded ?? false,
    includeArchived: options.includeArchived ?? false,
  });
  return page.items;
}

describe('addConversation', () => {
  it('stores the turns verbatim with session, speaker and time, and links facts to their turn', async () => {
    const { turns, facts: derived } = await db.addConversation({
      user: 'u1',
      session: 's1',
      messages: [
        { speaker: 'Alice', role: 'user', text: 'Hi!', at: '2023-05-25T10:00:00Z' },
        {
          speaker: 'Alice',
          role: 'user',
          text: "I'm allergic to penicillin.",
          at: '2023-05-25T10:01:00Z',
          metadata: { dialogId: 'D1:2' },
        },
        { role: 'assistant', text: 'Noted.', at: '2023-05-25T10:02:00Z' },
      ],
    });
    assert.deepEqual(
      turns.map((t) => [t.kind, t.session, t.speaker, t.role, t.text, t.occurredAt]),
      [
        ['turn', 's1', 'Alice', 'user', 'Hi!', '2023-05-25T10:00:00.000Z'],
        ['turn', 's1', 'Alice', 'user', "I'm allergic to penicillin.", '2023-05-25T10:01:00.000Z'],
        ['turn', 's1', null, 'assistant', 'Noted.', '2023-05-25T10:02:00.000Z'],
      ],
    );
    // Small talk matters little; a health fact a lot.
    assert.equal(turns[0]!.importance, 0.1);
    assert.ok(turns[1]!.importance >= 0.9);
    assert.equal(derived.length, 1);
    const fact = derived[0]!;
    assert.equal(fact.text, 'Alice is allergic to penicillin.');
    assert.equal(fact.kind, 'fact');
    assert.equal(fact.session, 's1');
    assert.equal(fact.validFrom, '2023-05-25T10:01:00.000Z');
    assert.deepEqual(fact.metadata, {
      subject: 'Alice',
      attribute: 'allergy',
      value: 'penicillin',
      sourceIds: [turns[1]!.id],
      language: 'en',
      extractor: 'rules',
      dialogIds: ['D1:2'],
    });
    assert.deepEqual(await db.get(fact.id), fact);
  });

  it('closes the older fact on a single-valued attribute, keeps it in history, and closes its spent turn', async () => {
    const first = await say('s1', '2023-01-10T10:00:00Z', 'I live in Paris.');
    const second = await say('s2', '2023-05-25T10:00:00Z', 'I just moved to Berlin!');
    const paris = first.facts[0]!;
    const berlin = second.facts[0]!;
    const closedParis = await db.get(paris.id);
    assert.equal(closedParis.validTo, berlin.validFrom);
    assert.equal(closedParis.supersededBy, berlin.id);
    assert.equal(closedParis.status, 'active');
    assert.deepEqual(
      (await db.history(paris.id)).map((h) => h.action),
      ['add', 'supersede'],
    );
    const closedTurn = await db.get(first.turns[0]!.id);
    assert.equal(closedTurn.supersededBy, berlin.id);
    assert.equal(closedTurn.text, 'I live in Paris.');
    assert.deepEqual(
      (await facts()).map((f) => f.text),
      ['Alice lives in Berlin (moved there recently).'],
    );
    assert.deepEqual(
      (await facts({ includeSuperseded: true })).map((f) => f.id).sort(),
      [paris.id, berlin.id].sort(),
    );

    const now = (await db.search('where does Alice live', { user: 'u1', reinforce: false })).map(
      (h) => h.text,
    );
    assert.ok(
      now.every((t) => !t.includes('Paris')),
      now.join(' | '),
    );
    const then = await db.search('where does Alice live', {
      user: 'u1',
      asOf: '2023-03-01T00:00:00Z',
      reinforce: false,
    });
    assert.ok(then.some((h) => h.id === paris.id));
    assert.ok(!then.some((h) => h.id === berlin.id));
  });

  it('reinforces the same fact said in other words instead of copying it', async () => {
    const first = await say('s1', '2023-01-10T10:00:00Z', 'I live in Berlin.');
    const second = await say('s2', '2023-02-10T10:00:00Z', "I'm living in Berlin now.");
    assert.equal((await facts()).length, 1);
    const fact = await db.get(first.facts[0]!.id);
    assert.equal(second.facts[0]!.id, fact.id);
    assert.equal(fact.accessCount, 1);
    assert.equal(fact.lastAccessedAt, '2023-02-10T10:00:00.000Z');
    assert.deepEqual(fact.metadata.sourceIds, [first.turns[0]!.id, second.turns[0]!.id]);
    assert.equal(fact.metadata.restatements, 1);
    assert.deepEqual(
      (await db.history(fact.id)).map((h) => h.action),
      ['add', 'reinforce'],
    );
  });

  it('accumulates multi-valued attributes', async () => {
    await say('s1', '2023-01-10T10:00:00Z', "I'm allergic to penicillin.", "I'm also allergic to peanuts.");
    assert.deepEqual((await facts()).map((f) => f.metadata.value).sort(), ['peanuts', 'penicillin']);
  });

  it('applies a correction to the fact it corrects', async () => {
    const first = await say('s1', '2023-01-10T10:00:00Z', 'My yoga class is on Mondays.');
    const second = await say('s1', '2023-01-10T10:05:00Z', "Actually it's Tuesday, not Monday.");
    const current = await facts();
    assert.deepEqual(
      current.map((f) => [f.text, f.metadata.attribute, f.metadata.value, f.metadata.corrects]),
      [["Alice's yoga class is on Tuesday.", 'schedule:yoga class', 'Tuesday', first.facts[0]!.id]],
    );
    assert.equal((await db.get(first.facts[0]!.id)).supersededBy, current[0]!.id);
    assert.deepEqual(current[0]!.metadata.sourceIds, [second.turns[0]!.id]);
  });

  it('ignores a correction with nothing to correct', async () => {
    const r = await say('s1', '2023-01-10T10:00:00Z', "Actually it's Tuesday, not Monday.");
    assert.deepEqual(r.facts, []);
    assert.equal(r.turns.length, 1);
  });

  it('treats a statement older than the stored fact as already outdated (history ingested out of order)', async () => {
    const newer = await say('s2', '2023-05-01T10:00:00Z', 'I live in Berlin.');
    const older = await say('s1', '2023-01-01T10:00:00Z', 'I live in Paris.');
    const paris = await db.get(older.facts[0]!.id);
    assert.equal(paris.supersededBy, newer.facts[0]!.id);
    assert.equal(paris.validTo, '2023-05-01T10:00:00.000Z');
    assert.equal((await db.get(newer.facts[0]!.id)).validTo, null);
  });

  it('brings an archived fact back when it is restated', async () => {
    const first = await say('s1', '2023-01-10T10:00:00Z', 'I love sushi.');
    await db.update(first.facts[0]!.id, { status: 'archived' });
    await say('s2', '2023-03-10T10:00:00Z', 'I really enjoy sushi.');
    const fact = await db.get(first.facts[0]!.id);
    assert.equal(fact.status, 'active');
    assert.equal((await facts({ includeArchived: true })).length, 1);
  });

  it('validates every message before writing anything', async () => {
    await assert.rejects(
      db.addConversation({
        user: 'u1',
        session: 's1',
        messages: [
          { speaker: 'A', text: 'I live in Oslo.' },
          { speaker: 'A', text: '  ' },
        ],
      }),
      (e: unknown) => e instanceof EngramError && e.code === 'EMPTY_TEXT' && /^message 1:/.test(e.message),
    );
    await assert.rejects(
      db.addConversation({ user: 'u1', session: '', messages: [{ speaker: 'A', text: 'hi' }] }),
      (e: unknown) => e instanceof EngramError && e.code === 'INVALID_INPUT',
    );
    await assert.rejects(
      db.addConversation({ user: 'u1', session: 's', messages: [] }),
      (e: unknown) => e instanceof EngramError && e.code === 'INVALID_INPUT',
    );
    await assert.rejects(
      db.addConversation({
        user: 'u1',
        session: 's',
        messages: [{ speaker: 'A', text: 'hi', at: 'not a date' }],
      }),
      (e: unknown) => e instanceof EngramError && e.code === 'INVALID_DATE',
    );
    assert.equal((await db.stats()).memories, 0);
  });
});

describe('addConversation with an LLM', () => {
  let server: FakeOpenAIServer;
  let llmDb: Engram;
  before(async () => {
    server = await startFakeOpenAIServer();
  });
  after(async () => {
    await server.close();
  });
  beforeEach(async () => {
    const llm = createOpenAIChatClient({
      baseUrl: server.url,
      model: 'fake-chat',
      timeoutMs: 2000,
      maxRetries: 0,
    });
    llmDb = await open({ path: testDb(dir, 'llm.db'), embedder: 'none', llm });
  });
  afterEach(async () => {
    await llmDb.close();
  });
  const reply = (content: unknown) => ({
    json: {
      choices: [
        {
          message: { content: typeof content === 'string' ? content : JSON.stringify(content) },
          finish_reason: 'stop',
        },
      ],
    },
  });

  it('stores the facts the LLM extracted', async () => {
    server.queue(
      reply({
        facts: [
          {
            turn: 0,
            subject: 'Alice',
            attribute: 'employer',
            value: 'Initech',
            text: 'Alice works at Initech.',
            importance: 0.7,
          },
        ],
      }),
    );
    const r = await llmDb.addConversation({
      user: 'u1',
      session: 's1',
      messages: [{ speaker: 'Alice', text: 'Initech hired me, finally!' }],
    });
    assert.deepEqual(
      r.facts.map((f) => [f.text, f.metadata.attribute, f.metadata.extractor, f.importance]),
      [['Alice works at Initech.', 'works_at', 'llm:openai-chat:fake-chat', 0.7]],
    );
  });

  it('falls back to the rules when the LLM answers nonsense', async () => {
    server.queue(reply('I cannot do that.'));
    const r = await llmDb.addConversation({
      user: 'u1',
      session: 's1',
      messages: [{ speaker: 'Alice', text: 'I work at Initech.' }],
    });
    assert.deepEqual(
      r.facts.map((f) => [f.text, f.metadata.extractor]),
      [['Alice works at Initech.', 'rules']],
    );
    // Reported, not swallowed; and the turn stays marked for maintain.
    assert.equal(r.llmFallbacks.length, 1);
    assert.equal(r.llmFallbacks[0]!.task, 'extract');
    assert.match(r.llmFallbacks[0]!.message, /not the JSON asked for/);
    assert.equal(r.turns[0]!.metadata.llmPending, 'extract');
  });

  it('stores the turns before the LLM answers, and unmarks them once it has', async () => {
    const seen = server.requests.length;
    server.queue('hang');
    const adding = llmDb.addConversation({
      user: 'u2',
      session: 's1',
      messages: [
        { speaker: 'Bea', text: 'I started rowing on the river at dawn.' },
        { speaker: 'Bea', text: 'My brother Tom lives in Quito.' },
      ],
    });
    await server.received(seen + 1);
    // The model has the request and has not answered: the turns are already stored, marked.
    const waiting = (await llmDb.list({ user: 'u2', kind: 'turn' })).items;
    assert.deepEqual(
      waiting.map((t) => [t.text, t.metadata.llmPending]),
      [
        ['I started rowing on the river at dawn.', 'extract'],
        ['My brother Tom lives in Quito.', 'extract'],
      ],
    );
    const timedOut = await adding;
    assert.equal(timedOut.llmFallbacks[0]!.code, 'TIMEOUT');
    assert.ok(timedOut.turns.every((t) => t.metadata.llmPending === 'extract'));

    server.queue(reply({ facts: [] }));
    const answered = await llmDb.addConversation({
      user: 'u2',
      session: 's2',
      messages: [{ speaker: 'Bea', text: 'Nothing new today.' }],
    });
    assert.deepEqual(answered.llmFallbacks, []);
    assert.equal(answered.turns[0]!.metadata.llmPending, undefined);
    const stored = await llmDb.get(answered.turns[0]!.id);
    assert.equal(stored.metadata.llmPending, undefined);
  });

  it('asks the LLM whether a fact on an attribute the table does not know replaces the older one', async () => {
    server.queue(
      reply({
        facts: [
          {
            turn: 0,
            subject: 'Alice',
            attribute: 'car_colour',
            value: 'red',
            text: 'Alice drives a red car.',
          },
        ],
      }),
      reply({
        facts: [
          {
            turn: 0,
            subject: 'Alice',
            attribute: 'car_colour',
            value: 'blue',
            text: 'Alice drives a blue car.',
          },
        ],
      }),
      reply({ replaces: true }),
    );
    const red = await llmDb.addConversation({
      user: 'u1',
      session: 's1',
      messages: [{ speaker: 'Alice', text: 'My car is red.', at: '2023-01-01T00:00:00Z' }],
    });
    const blue = await llmDb.addConversation({
      user: 'u1',
      session: 's2',
      messages: [{ speaker: 'Alice', text: 'I repainted my car blue.', at: '2023-02-01T00:00:00Z' }],
    });
    assert.equal((await llmDb.get(red.facts[0]!.id)).supersededBy, blue.facts[0]!.id);
  });
});
