import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOpenAIChatClient } from '../../src/llm/openai-chat.js';
import { createLlmExtractor, parseLlmExtraction } from '../../src/memory/lifecycle/extract/llm.js';
import type { ExtractionTurn } from '../../src/memory/lifecycle/extract/types.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../helpers/tiny-openai-server.js';

let server: FakeOpenAIServer;
before(async () => {
  server = await startFakeOpenAIServer();
});
after(async () => {
  await server.close();
});

const llm = (timeoutMs = 5000) =>
  createOpenAIChatClient({
    baseUrl: server.url,
    model: 'fake-chat',
    timeoutMs,
    maxRetries: 0,
    retryBaseDelayMs: 1,
  });

const turns: ExtractionTurn[] = [
  {
    text: 'I moved to Berlin last month.',
    speaker: 'Alice',
    role: 'user',
    at: new Date('2023-05-25T10:00:00Z'),
  },
  { text: '我对青霉素过敏。', speaker: 'Alice', role: 'user', at: new Date('2023-05-25T10:01:00Z') },
];

const chatReply = (content: string) => ({
  json: { choices: [{ message: { role: 'assistant', content }, finish_reason: 'stop' }] },
});

describe('LLM fact extraction', () => {
  it('uses a valid answer: canonical attributes, the speaker as subject, dates and importance', async () => {
    server.requests.length = 0;
    server.queue(
      chatReply(
        JSON.stringify({
          facts: [
            {
              turn: 0,
              subject: 'alice',
              attribute: 'City',
              value: 'Berlin',
              text: 'Alice lives in Berlin since April 2023.',
              date: '2023-04',
              importance: 0.8,
              corrects: null,
            },
            { turn: 1, subject: 'Alice', attribute: 'allergy', value: '青霉素', text: 'Alice对青霉素过敏。' },
          ],
        }),
      ),
    );
    const seen: unknown[] = [];
    const facts = await createLlmExtractor(llm(), { onFallback: (e) => seen.push(e) }).extract(turns);
    assert.deepEqual(seen, []);
    assert.deepEqual(
      facts.map((f) => [
        f.turn,
        f.subject,
        f.attribute,
        f.value,
        f.language,
        f.eventDate,
        f.dateGranularity,
        f.importance,
        f.extractor,
      ]),
      [
        [0, 'Alice', 'lives_in', 'Berlin', 'en', '2023-04-01', 'month', 0.8, 'llm:openai-chat:fake-chat'],
        [1, 'Alice', 'allergy', '青霉素', 'zh', undefined, undefined, undefined, 'llm:openai-chat:fake-chat'],
      ],
    );
    // The request asked for JSON and carried every turn with its speaker and time.
    const body = server.requests[0]?.body as { response_format: unknown; messages: { content: string }[] };
    assert.deepEqual(body.response_format, { type: 'json_object' });
    assert.match(
      body.messages[1]!.content,
      /"speaker":"Alice","date":"2023-05-25T10:00:00.000Z","text":"I moved to Berlin last month."/,
    );
  });

  it('falls back to the rules on text that is not JSON', async () => {
    server.queue(chatReply('Sure! Here are the facts: Alice lives in Berlin.'));
    const seen: unknown[] = [];
    const facts = await createLlmExtractor(llm(), { onFallback: (e) => seen.push(e) }).extract(turns);
    assert.equal(seen.length, 1);
    assert.ok(seen[0] instanceof SyntaxError);
    assert.deepEqual(
      facts.map((f) => [f.attribute, f.value, f.extractor]),
      [
        ['lives_in', 'Berlin', 'rules'],
        ['allergy', '青霉素', 'rules'],
      ],
    );
  });

  it('falls back to the rules on JSON of the wrong shape or a fact pointing at a missing turn', async () => {
    for (const content of [
      JSON.stringify({ facts: [{ turn: 0, subject: 'Alice', attribute: 'lives_in' }] }),
      JSON.stringify({
        facts: [
          {
            turn: 7,
            subject: 'Alice',
            attribute: 'lives_in',
            value: 'Berlin',
            text: 'Alice lives in Berlin.',
          },
        ],
      }),
      JSON.stringify([{ subject: 'Alice' }]),
    ]) {
      server.queue(chatReply(content));
      const seen: unknown[] = [];
      const facts = await createLlmExtractor(llm(), { onFallback: (e) => seen.push(e) }).extract(turns);
      assert.equal(seen.length, 1, content);
      assert.deepEqual(
        facts.map((f) => f.extractor),
        ['rules', 'rules'],
        content,
      );
    }
  });

  it('falls back to the rules when the endpoint times out or fails', async () => {
    server.queue('hang');
    const seen: unknown[] = [];
    const facts = await createLlmExtractor(llm(300), { onFallback: (e) => seen.push(e) }).extract(turns);
    assert.equal(seen.length, 1);
    assert.equal((seen[0] as { code?: string }).code, 'TIMEOUT');
    assert.deepEqual(
      facts.map((f) => f.value),
      ['Berlin', '青霉素'],
    );

    server.queue({ status: 400, json: { error: { message: 'bad model' } } });
    const seen2: unknown[] = [];
    const facts2 = await createLlmExtractor(llm(), { onFallback: (e) => seen2.push(e) }).extract(turns);
    assert.equal((seen2[0] as { code?: string }).code, 'LLM_ERROR');
    assert.equal(facts2.length, 2);
  });

  it('sends long conversations in batches and keeps turn indexes global', async () => {
    server.requests.length = 0;
    const many = Array.from({ length: 5 }, (_, i) => ({ ...turns[0]!, text: `I live in City${i}.` }));
    server.queue(
      chatReply(
        JSON.stringify({
          facts: [
            {
              turn: 1,
              subject: 'Alice',
              attribute: 'lives_in',
              value: 'City1',
              text: 'Alice lives in City1.',
            },
          ],
        }),
      ),
      chatReply(
        JSON.stringify({
          facts: [
            {
              turn: 0,
              subject: 'Alice',
              attribute: 'lives_in',
              value: 'City2',
              text: 'Alice lives in City2.',
            },
          ],
        }),
      ),
      chatReply(JSON.stringify({ facts: [] })),
    );
    const facts = await createLlmExtractor(llm(), { batchSize: 2 }).extract(many);
    assert.equal(server.requests.length, 3);
    assert.deepEqual(
      facts.map((f) => [f.turn, f.value]),
      [
        [1, 'City1'],
        [2, 'City2'],
      ],
    );
  });

  it('accepts a JSON answer wrapped in a Markdown fence, nothing looser', () => {
    const fenced = '```json\n{"facts":[]}\n```';
    // A model that names no entities gives none, not an error.
    assert.deepEqual(parseLlmExtraction(fenced, 1), { facts: [], entities: [] });
    assert.throws(() => parseLlmExtraction('Here: {"facts":[]}', 1), SyntaxError);
  });
});
