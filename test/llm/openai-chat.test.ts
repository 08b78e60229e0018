import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EngramError } from '../../src/core/errors.js';
import { chatCompletionsUrl, createOpenAIChatClient } from '../../src/llm/openai-chat.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../helpers/tiny-openai-server.js';

let server: FakeOpenAIServer;
before(async () => {
  server = await startFakeOpenAIServer();
});
after(async () => {
  await server.close();
});

const isEngramError = (code: string, pattern?: RegExp) => (e: unknown) =>
  e instanceof EngramError && e.code === code && (!pattern || pattern.test(e.message));

const client = (extra: Partial<Parameters<typeof createOpenAIChatClient>[0]> = {}) =>
  createOpenAIChatClient({
    baseUrl: server.url,
    model: 'fake-chat',
    retryBaseDelayMs: 1,
    timeoutMs: 5000,
    ...extra,
  });

describe('openai chat client', () => {
  it('returns the assistant text and sends model, messages and temperature 0', async () => {
    server.requests.length = 0;
    const llm = client({ apiKey: 'sk-chat' });
    assert.equal(llm.id, 'openai-chat:fake-chat');
    const answer = await llm.chat([
      { role: 'system', content: 'You extract facts.' },
      { role: 'user', content: 'I have a dog named Rex.' },
    ]);
    assert.equal(answer, 'echo: I have a dog named Rex.');
    const [request] = server.requests;
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers.authorization, 'Bearer sk-chat');
    assert.deepEqual(request.body, {
      model: 'fake-chat',
      messages: [
        { role: 'system', content: 'You extract facts.' },
        { role: 'user', content: 'I have a dog named Rex.' },
      ],
      temperature: 0,
    });
  });

  it('asks for a JSON object when json is set, with the call temperature', async () => {
    server.requests.length = 0;
    server.queue({ json: { choices: [{ message: { content: '{"facts":[]}' }, finish_reason: 'stop' }] } });
    const answer = await client().chat([{ role: 'user', content: 'x' }], { json: true, temperature: 0.5 });
    assert.equal(answer, '{"facts":[]}');
    const body = server.requests[0].body as Record<string, unknown>;
    assert.deepEqual(body.response_format, { type: 'json_object' });
    assert.equal(body.temperature, 0.5);
  });

  it('retries a 429 then succeeds', async () => {
    server.requests.length = 0;
    server.queue({
      status: 429,
      headers: { 'retry-after-ms': '5' },
      json: { error: { message: 'rate limited' } },
    });
    assert.equal(await client().chat([{ role: 'user', content: 'hello' }]), 'echo: hello');
    assert.equal(server.requests.length, 2);
  });

  it('gives up with LLM_ERROR after maxRetries 5xx answers', async () => {
    server.requests.length = 0;
    server.queue({ status: 503, text: 'overloaded' }, { status: 502, text: 'bad gateway' });
    await assert.rejects(
      client({ maxRetries: 1 }).chat([{ role: 'user', content: 'x' }]),
      isEngramError('LLM_ERROR', /HTTP 502: bad gateway.*gave up after 2 attempts/),
    );
    assert.equal(server.requests.length, 2);
  });

  it('times out with TIMEOUT, honouring the per-call timeout', async () => {
    server.queue('hang');
    await assert.rejects(
      client({ maxRetries: 0 }).chat([{ role: 'user', content: 'x' }], { timeoutMs: 150 }),
      isEngramError('TIMEOUT', /within 150 ms/),
    );
  });

  it('stops when the caller aborts, without retrying', async () => {
    server.requests.length = 0;
    server.queue('hang');
    const controller = new AbortController();
    const pending = client({ maxRetries: 3 }).chat([{ role: 'user', content: 'x' }], {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, isEngramError('LLM_ERROR', /cancelled/));
    assert.equal(server.requests.length, 1);
  });

  it('rejects malformed JSON, an answer without content, and a JSON answer cut at the length limit', async () => {
    server.queue({ text: 'not json at all' });
    await assert.rejects(
      client().chat([{ role: 'user', content: 'x' }]),
      isEngramError('LLM_ERROR', /invalid JSON/),
    );
    server.queue({ json: { choices: [] } });
    await assert.rejects(
      client().chat([{ role: 'user', content: 'x' }]),
      isEngramError('LLM_ERROR', /without choices\[0\]\.message\.content/),
    );
    server.queue({ json: { choices: [{ message: { content: '{"facts": [' }, finish_reason: 'length' }] } });
    await assert.rejects(
      client().chat([{ role: 'user', content: 'x' }], { json: true }),
      isEngramError('LLM_ERROR', /length limit/),
    );
  });

  it('fails at once on 401 with a hint about the key', async () => {
    server.requests.length = 0;
    server.queue({ status: 401, json: { error: { message: 'Incorrect API key provided' } } });
    await assert.rejects(
      client().chat([{ role: 'user', content: 'x' }]),
      isEngramError('LLM_ERROR', /HTTP 401: Incorrect API key provided\. Check the API key\./),
    );
    assert.equal(server.requests.length, 1);
  });

  it('validates its configuration and input', async () => {
    assert.throws(
      () => createOpenAIChatClient({ baseUrl: 'ftp://x', model: 'm' }),
      isEngramError('INVALID_INPUT'),
    );
    assert.throws(
      () => createOpenAIChatClient({ baseUrl: server.url, model: '' }),
      isEngramError('INVALID_INPUT'),
    );
    await assert.rejects(client().chat([]), isEngramError('INVALID_INPUT'));
    assert.equal(chatCompletionsUrl('http://h/v1/'), 'http://h/v1/chat/completions');
  });
});
