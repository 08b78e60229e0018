import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateText, simulateReadableStream, stepCountIs, streamText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { engramMiddleware, engramTools, lastUserText } from '../../src/adapters/ai-sdk.js';
import { open } from '../../src/memory/open.js';

/** The real AI SDK (`ai` 6) with its own mock model: no network. */
const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};

function textResult(text: string) {
  return {
    content: [{ type: 'text' as const, text }],
    finishReason: { unified: 'stop' as const, raw: 'stop' },
    usage,
    warnings: [],
  };
}

async function memoryWith(...facts: string[]) {
  const memory = await open({ path: ':memory:', embedder: 'none' });
  for (const text of facts) await memory.add({ user: 'ines', text, kind: 'fact' });
  return memory;
}

describe('engram-memory/ai-sdk', () => {
  it('the middleware puts buildContext before the prompt and stores both turns after generateText', async () => {
    const memory = await memoryWith('Ines is allergic to hazelnuts', 'Ines plays the cello');
    try {
      const model = new MockLanguageModelV3({ doGenerate: textResult('Then skip the praline tart.') });
      const { text } = await generateText({
        model: wrapLanguageModel({
          model,
          middleware: engramMiddleware(memory, { user: 'ines', session: 's1' }),
        }),
        prompt: 'What am I allergic to? Which dessert should I order?',
      });
      assert.equal(text, 'Then skip the praline tart.');
      const prompt = model.doGenerateCalls[0]!.prompt;
      assert.equal(prompt[0]!.role, 'system');
      assert.match(prompt[0]!.content as string, /not instructions/);
      assert.match(prompt[0]!.content as string, /"Ines is allergic to hazelnuts"/);
      assert.equal(lastUserText(prompt), 'What am I allergic to? Which dessert should I order?');
      const turns = (await memory.list({ user: 'ines', session: 's1', kind: 'turn' })).items;
      assert.deepEqual(
        turns.map((t) => [t.role, t.text]),
        [
          ['user', 'What am I allergic to? Which dessert should I order?'],
          ['assistant', 'Then skip the praline tart.'],
        ],
      );
    } finally {
      await memory.close();
    }
  });

  it('stores the streamed answer once streamText has been read to the end', async () => {
    const memory = await memoryWith('Ines lives in Porto');
    try {
      const model = new MockLanguageModelV3({
        doStream: {
          stream: simulateReadableStream({
            chunks: [
              { type: 'text-start', id: 't' },
              { type: 'text-delta', id: 't', delta: 'You live ' },
              { type: 'text-delta', id: 't', delta: 'in Porto.' },
              { type: 'text-end', id: 't' },
              { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
            ],
          }),
        },
      });
      const result = streamText({
        model: wrapLanguageModel({
          model,
          middleware: engramMiddleware(memory, { user: 'ines', session: 's2' }),
        }),
        prompt: 'Where do I live?',
      });
      assert.equal(await result.text, 'You live in Porto.');
      assert.match(model.doStreamCalls[0]!.prompt[0]!.content as string, /Ines lives in Porto/);
      const turns = (await memory.list({ user: 'ines', session: 's2', kind: 'turn' })).items;
      assert.deepEqual(
        turns.map((t) => t.text),
        ['Where do I live?', 'You live in Porto.'],
      );
    } finally {
      await memory.close();
    }
  });

  it('remember and recall tools work inside generateText', async () => {
    const memory = await memoryWith();
    try {
      const model = new MockLanguageModelV3({
        doGenerate: [
          {
            content: [
              {
                type: 'tool-call',
                toolCallId: 'call-1',
                toolName: 'remember',
                input: JSON.stringify({ text: 'Ines prefers window seats on trains' }),
              },
            ],
            finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
            usage,
            warnings: [],
          },
          {
            content: [
              {
                type: 'tool-call',
                toolCallId: 'call-2',
                toolName: 'recall',
                input: JSON.stringify({ query: 'train seat preference' }),
              },
            ],
            finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
            usage,
            warnings: [],
          },
          textResult('Noted: a window seat.'),
        ],
      });
      const result = await generateText({
        model,
        tools: engramTools(memory, { user: 'ines' }),
        stopWhen: stepCountIs(3),
        prompt: 'I always want a window seat on trains.',
      });
      assert.equal(result.text, 'Noted: a window seat.');
      const [stored] = (await memory.list({ user: 'ines', kind: 'fact' })).items;
      assert.equal(stored!.text, 'Ines prefers window seats on trains');
      const recalled = result.steps[1]!.toolResults[0]!.output as Array<{ id: string; text: string }>;
      assert.deepEqual(
        recalled.map((r) => [r.id, r.text]),
        [[stored!.id, 'Ines prefers window seats on trains']],
      );
    } finally {
      await memory.close();
    }
  });

  it('a failing store surfaces as an error unless onStoreError takes it', async () => {
    // Texts over 20 characters are refused, so storing the turns fails after the model has answered.
    const memory = await open({ path: ':memory:', embedder: 'none', maxTextLength: 20 });
    try {
      const model = new MockLanguageModelV3({
        doGenerate: textResult('An answer longer than twenty characters.'),
      });
      const seen: unknown[] = [];
      const tolerant = engramMiddleware(memory, {
        user: 'ines',
        session: 's',
        onStoreError: (e) => seen.push(e),
      });
      const { text } = await generateText({
        model: wrapLanguageModel({ model, middleware: tolerant }),
        prompt: 'hi',
      });
      assert.equal(text, 'An answer longer than twenty characters.');
      assert.equal((seen[0] as { code?: string }).code, 'TEXT_TOO_LONG');
      await assert.rejects(
        generateText({
          model: wrapLanguageModel({
            model,
            middleware: engramMiddleware(memory, { user: 'ines', session: 's' }),
          }),
          prompt: 'hi',
        }),
        /text has 40 characters; the limit is 20/,
      );
    } finally {
      await memory.close();
    }
  });
});
