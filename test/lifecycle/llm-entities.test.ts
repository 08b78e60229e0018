/**
 * Entities from the LLM path: the model names them in the same answer as the facts, they join the rules'
 * mentions in the same transaction, and a model that names none (or answers badly) leaves the rules' own.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { createOpenAIChatClient } from '../../src/llm/openai-chat.js';
import { open } from '../../src/memory/open.js';
import type { Engram } from '../../src/memory/types.js';
import { testDb } from '../helpers/backend.js';
import { tempDir } from '../helpers/cli.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../helpers/tiny-openai-server.js';

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

const MESSAGES = [
  { speaker: 'Dev', text: 'we watched spirited away at a tiny kino in leipzig.', at: '2024-03-02T19:00:00Z' },
  { speaker: 'Dev', text: 'my cousin came along, she loved it.', at: '2024-03-02T19:01:00Z' },
];

describe('entities named by the LLM', () => {
  let server: FakeOpenAIServer;
  let db: Engram;
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
    db = await open({ path: testDb(tempDir('engram-llm-entities-'), 'e.db'), embedder: 'none', llm });
  });
  afterEach(async () => {
    await db.close();
  });

  it('are stored with the turn, beside the rules’ mentions, and make profiles', async () => {
    const keysBefore = async () => (await db.entities({ user: 'dev' })).map((e) => e.key).sort();
    server.queue(
      reply({
        facts: [],
        entities: [
          { turn: 0, name: 'Spirited Away', type: 'work', relation: null },
          { turn: 0, name: 'Leipzig', type: 'place' },
          { turn: 1, name: 'my cousin', type: 'person', relation: 'cousin' },
        ],
      }),
    );
    const r = await db.addConversation({ user: 'dev', session: 's1', messages: MESSAGES });
    assert.deepEqual(r.llmFallbacks, []);
    const keys = await keysBefore();
    for (const key of ['work:spirited-away', 'place:leipzig', 'kin:dev:cousin', 'person:dev']) {
      assert.ok(keys.includes(key), `${key} in ${keys.join(', ')}`);
    }
    const film = await db.profile({ user: 'dev', entity: 'Spirited Away' });
    assert.equal(film.entity.type, 'work');
    assert.deepEqual(
      film.timeline.map((t) => t.text),
      [MESSAGES[0]!.text],
    );
    // Turns unmarked as the LLM answered: nothing is waiting for maintain.
    assert.ok(r.turns.every((t) => t.metadata.llmPending === undefined));
  });

  it('a model that names none leaves the rules’ mentions; a bad entity is a reported fallback', async () => {
    server.queue(reply({ facts: [] }));
    await db.addConversation({ user: 'ann', session: 's1', messages: MESSAGES });
    const rulesOnly = (await db.entities({ user: 'ann' })).map((e) => e.key).sort();
    assert.deepEqual(rulesOnly, ['kin:dev:cousin', 'person:dev']);

    server.queue(reply({ facts: [], entities: [{ turn: 7, name: 'Nowhere', type: 'place' }] }));
    const r = await db.addConversation({ user: 'bo', session: 's1', messages: MESSAGES });
    assert.equal(r.llmFallbacks.length, 1);
    assert.match(r.llmFallbacks[0]!.message, /entity refers to turn 7/);
    // Nothing the model said was kept; the turns stay marked for maintain to redo.
    assert.ok(!(await db.entities({ user: 'bo' })).some((e) => e.key === 'place:nowhere'));
    assert.ok(r.turns.every((t) => t.metadata.llmPending === 'extract'));
  });

  it('maintain redoes a failed extraction with the entities too', async () => {
    server.queue(reply('not json'));
    await db.addConversation({ user: 'cy', session: 's1', messages: MESSAGES });
    assert.ok(!(await db.entities({ user: 'cy' })).some((e) => e.key === 'place:leipzig'));
    server.queue(reply({ facts: [], entities: [{ turn: 0, name: 'Leipzig', type: 'place' }] }));
    const report = await db.maintain({ user: 'cy' });
    assert.deepEqual(report.llmFallbacks, []);
    const leipzig = await db.profile({ user: 'cy', entity: 'Leipzig' });
    assert.deepEqual(
      leipzig.timeline.map((t) => t.text),
      [MESSAGES[0]!.text],
    );
  });
});
