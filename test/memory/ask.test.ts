import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EngramError } from '../../src/core/errors.js';
import { parseAnswer } from '../../src/memory/ask.js';
import { open } from '../../src/memory/open.js';
import { engramRun, tempDir } from '../helpers/cli.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../helpers/tiny-openai-server.js';
import { httpClient, textOf } from '../mcp/helpers.js';
import { api, startTestServer, type TestServer } from '../server/helpers.js';

const FACTS = [
  'Tomasz keeps three beehives on the roof of his garage',
  'Tomasz is learning to play the bassoon on Thursdays',
  'Tomasz works as a surveyor for the city of Gdansk',
];

describe('ask', () => {
  let llm: FakeOpenAIServer;
  before(async () => {
    llm = await startFakeOpenAIServer();
  });
  after(async () => {
    await llm.close();
  });

  it('answers from memory and cites the memory it used (library)', async () => {
    const memory = await open({ path: ':memory:', embedder: 'none', llm: `openai:${llm.url}#test` });
    try {
      const ids = [];
      for (const text of FACTS) ids.push((await memory.add({ user: 'tomasz', text, kind: 'fact' })).id);
      const result = await memory.ask({ user: 'tomasz', question: 'What instrument is Tomasz learning?' });
      assert.equal(result.answer, FACTS[1]);
      assert.deepEqual(result.citations, [ids[1]]);
      assert.ok(result.contextIds.includes(ids[1]!));
      assert.equal(result.model, 'openai-chat:test');
      const sent = llm.requests.at(-1)!.body as { messages: Array<{ role: string; content: string }> };
      assert.match(sent.messages[1]!.content, /Question: "What instrument is Tomasz learning\?"$/);
    } finally {
      await memory.close();
    }
  });

  it('without an LLM, fails with LLM_NOT_CONFIGURED saying how to configure one', async () => {
    const memory = await open({ path: ':memory:', embedder: 'none' });
    try {
      await assert.rejects(
        memory.ask({ user: 'tomasz', question: 'anything?' }),
        (e) =>
          e instanceof EngramError &&
          e.code === 'LLM_NOT_CONFIGURED' &&
          /--llm openai:<base-url>#<model>/.test(e.message) &&
          /ENGRAM_LLM/.test(e.message) &&
          /open\(\{ llm \}\)/.test(e.message),
      );
    } finally {
      await memory.close();
    }
  });

  it('a down LLM is a typed LLM_ERROR naming the endpoint', async () => {
    const dead = await startFakeOpenAIServer();
    const url = dead.url;
    await dead.close();
    const memory = await open({ path: ':memory:', embedder: 'none', llm: `openai:${url}#test?maxRetries=0` });
    try {
      await memory.add({ user: 'tomasz', text: FACTS[0]!, kind: 'fact' });
      await assert.rejects(
        memory.ask({ user: 'tomasz', question: 'bees?' }),
        (e) =>
          e instanceof EngramError &&
          e.code === 'LLM_ERROR' &&
          e.message.includes(`Could not reach the chat endpoint at ${url}`),
      );
    } finally {
      await memory.close();
    }
  });

  it('parses citations from JSON, and from [n] markers when the model ignored the format', () => {
    const ids = ['a', 'b', 'c'];
    assert.deepEqual(parseAnswer('{"answer": "x", "cited": [3, 1, 3, 9]}', ids), {
      answer: 'x',
      citations: ['c', 'a'],
    });
    assert.deepEqual(parseAnswer('He lives in Riga [2].', ids), {
      answer: 'He lives in Riga [2].',
      citations: ['b'],
    });
    assert.deepEqual(parseAnswer('```json\n{"answer": "y", "cited": ["2"]}\n```', ids), {
      answer: 'y',
      citations: ['b'],
    });
  });

  describe('over REST, MCP and the CLI', () => {
    let server: TestServer;
    let plain: TestServer;
    let memoryId: string;
    before(async () => {
      server = await startTestServer({ llm: `openai:${llm.url}#test` });
      plain = await startTestServer();
      const added = await api(server.url, 'POST', '/v1/memories', {
        body: { user: 'tomasz', text: FACTS[2], kind: 'fact' },
      });
      memoryId = added.json.id;
    });
    after(async () => {
      await server.stop();
      await plain.stop();
    });

    it('POST /v1/ask answers with citations; without an LLM it is 501 LLM_NOT_CONFIGURED', async () => {
      const res = await api(server.url, 'POST', '/v1/ask', {
        body: { user: 'tomasz', question: 'Where does Tomasz work as a surveyor?' },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.answer, FACTS[2]);
      assert.deepEqual(res.json.citations, [memoryId]);
      const none = await api(plain.url, 'POST', '/v1/ask', { body: { user: 'tomasz', question: 'x?' } });
      assert.equal(none.status, 501);
      assert.equal(none.json.error.code, 'LLM_NOT_CONFIGURED');
      const spec = await api(server.url, 'GET', '/openapi.json');
      assert.ok(spec.json.paths['/v1/ask'].post);
    });

    it('the MCP ask tool answers with citations', async () => {
      const client = await httpClient(server.url);
      try {
        const text = textOf(
          await client.callTool({
            name: 'ask',
            arguments: { user: 'tomasz', question: 'Who employs Tomasz as a surveyor?' },
          }),
        );
        assert.ok(text.includes(FACTS[2]!));
        assert.ok(text.includes(memoryId));
      } finally {
        await client.close();
      }
    });

    it('engram ask prints the answer and its citations; without --llm it says how to configure one', async () => {
      const r = await engramRun([
        '--db',
        server.db,
        '--embedder',
        'none',
        '--llm',
        `openai:${llm.url}#test`,
        '--json',
        'ask',
        '--user',
        'tomasz',
        'Where',
        'does',
        'Tomasz',
        'work?',
      ]);
      assert.equal(r.status, 0, r.stderr);
      const answer = JSON.parse(r.stdout) as { answer: string; citations: string[] };
      assert.equal(answer.answer, FACTS[2]);
      assert.deepEqual(answer.citations, [memoryId]);
      const dir = tempDir();
      const none = await engramRun(
        ['--db', `${dir}/x.db`, '--embedder', 'none', 'ask', '--user', 'tomasz', 'x?'],
        { env: { ENGRAM_LLM: '' } },
      );
      assert.equal(none.status, 1);
      assert.match(
        none.stderr,
        /needs a chat model and none is configured: pass --llm openai:<base-url>#<model>/,
      );
    });
  });
});
