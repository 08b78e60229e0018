import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngramError } from '../../src/core/errors.js';
import { parseLlmSpec, requireLlm, resolveLlm } from '../../src/llm/spec.js';

const invalid = (pattern: RegExp) => (e: unknown) =>
  e instanceof EngramError && e.code === 'INVALID_INPUT' && pattern.test(e.message);

describe('LLM spec', () => {
  it('parses base URL, model (after the last #) and numeric options', () => {
    assert.deepEqual(parseLlmSpec('openai:http://127.0.0.1:11434/v1#llama3.1', {}), {
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'llama3.1',
    });
    assert.deepEqual(
      parseLlmSpec('openai:https://host/v1#team#model?timeoutMs=5000&maxRetries=0&temperature=0.2', {}),
      { baseUrl: 'https://host/v1#team', model: 'model', timeoutMs: 5000, maxRetries: 0, temperature: 0.2 },
    );
  });

  it('takes the key from ENGRAM_LLM_KEY, else OPENAI_API_KEY, never from the spec', () => {
    assert.equal(
      parseLlmSpec('openai:http://h/v1#m', { ENGRAM_LLM_KEY: 'a', OPENAI_API_KEY: 'b' }).apiKey,
      'a',
    );
    assert.equal(parseLlmSpec('openai:http://h/v1#m', { OPENAI_API_KEY: 'b' }).apiKey, 'b');
    assert.throws(
      () => parseLlmSpec('openai:http://h/v1#m?apiKey=x', {}),
      invalid(/Unrecognized key|apiKey/),
    );
  });

  it('names what is wrong', () => {
    assert.throws(() => parseLlmSpec('gpt-4o', {}), invalid(/write openai:<base-url>#<model>/));
    assert.throws(() => parseLlmSpec('openai:http://h/v1', {}), invalid(/write openai:<base-url>#<model>/));
    assert.throws(() => parseLlmSpec('openai:not a url#m', {}), invalid(/baseUrl/));
    assert.throws(() => parseLlmSpec('openai:http://h/v1#m?timeoutMs=soon', {}), invalid(/timeoutMs/));
    assert.throws(() => parseLlmSpec('openai:http://h/v1#m?retries=3', {}), invalid(/retries/));
  });

  it('resolves a spec, a client, none; and requireLlm says how to configure one', () => {
    assert.equal(resolveLlm(undefined), null);
    assert.equal(resolveLlm('none'), null);
    const client = resolveLlm('openai:http://127.0.0.1:1/v1#m', {})!;
    assert.equal(client.id, 'openai-chat:m');
    const own = { id: 'mine', chat: async () => 'hi' };
    assert.equal(resolveLlm(own), own);
    assert.throws(() => resolveLlm({ id: 'x' } as never), invalid(/spec string/));
    assert.throws(
      () => requireLlm(null),
      (e) => e instanceof EngramError && e.code === 'LLM_NOT_CONFIGURED' && /ENGRAM_LLM/.test(e.message),
    );
  });
});
