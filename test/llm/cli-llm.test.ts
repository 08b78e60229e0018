import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Memory } from '../../src/core/types.js';
import { engramRun, tempDir } from '../helpers/cli.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../helpers/tiny-openai-server.js';

/** `engram --llm …` against the deterministic OpenAI-compatible test server, up and down. */
const SAMPLE = 'examples/sample-conversation.jsonl';

async function json<T>(args: string[], env: Record<string, string> = {}): Promise<T> {
  const r = await engramRun(['--json', ...args], { env });
  assert.equal(r.status, 0, `engram ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout) as T;
}

describe('engram --llm', () => {
  let server: FakeOpenAIServer;
  let dir: string;
  before(async () => {
    server = await startFakeOpenAIServer();
    dir = tempDir('engram-llm-');
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ingest extracts facts with the LLM and maintain writes LLM summaries', async () => {
    const db = join(dir, 'up.db');
    const llm = `openai:${server.url}#test`;
    const base = ['--db', db, '--embedder', 'none', '--llm', llm];
    const report = await json<{ turns: number; facts: number; llmFallbacks: unknown[] }>([
      ...base,
      'ingest',
      SAMPLE,
    ]);
    assert.equal(report.turns, 12);
    assert.ok(report.facts > 0);
    assert.deepEqual(report.llmFallbacks, []);
    const facts = await json<{ items: Memory[] }>([...base, 'list', '--user', 'maya', '--kind', 'fact']);
    assert.ok(facts.items.length > 0);
    for (const f of facts.items) assert.equal(f.metadata.extractor, 'llm:openai-chat:test');
    // The test server states each turn as "<speaker> said: <text>".
    assert.ok(
      facts.items.some(
        (f) =>
          f.text ===
          "Maya said: By the way, I'm allergic to penicillin, so I always carry a note about it when I travel.",
      ),
    );

    const maintained = await json<{ summaries: Array<{ method: string }>; llmFallbacks: unknown[] }>([
      ...base,
      'maintain',
    ]);
    assert.ok(maintained.summaries.length > 0);
    assert.ok(maintained.summaries.every((s) => s.method === 'llm'));
    const summaries = await json<{ items: Memory[] }>([
      ...base,
      'list',
      '--user',
      'maya',
      '--kind',
      'summary',
    ]);
    assert.match(summaries.items[0]!.text, /LLM summary of \d+ turns, opening with Maya\./);
  });

  it('with the LLM down, nothing is lost, the error says what to do, and maintain redoes the work later', async () => {
    const db = join(dir, 'down.db');
    const down = await startFakeOpenAIServer();
    const downUrl = down.url;
    await down.close();
    const base = ['--db', db, '--embedder', 'none'];
    // No retries, so the test does not wait for backoff; the spec carries the option.
    const deadLlm = `openai:${downUrl}#test?maxRetries=0`;

    const ingest = await engramRun(['--json', ...base, '--llm', deadLlm, 'ingest', SAMPLE]);
    assert.equal(ingest.status, 0, ingest.stderr);
    const report = JSON.parse(ingest.stdout) as {
      turns: number;
      facts: number;
      llmFallbacks: Array<{ task: string; code: string; retryable: boolean }>;
    };
    assert.equal(report.turns, 12);
    assert.ok(report.facts > 0, 'the rules extracted facts instead');
    assert.ok(report.llmFallbacks.length > 0);
    assert.equal(report.llmFallbacks[0]!.task, 'extract');
    assert.equal(report.llmFallbacks[0]!.code, 'LLM_ERROR');
    assert.match(ingest.stderr, /warning: the LLM failed \(extract ×12\): Could not reach the chat endpoint/);
    assert.match(ingest.stderr, /nothing was lost.*engram maintain/);

    const turns = await json<{ items: Memory[] }>([...base, 'list', '--user', 'maya', '--kind', 'turn']);
    assert.equal(turns.items.length, 12);
    assert.ok(turns.items.every((t) => t.metadata.llmPending === 'extract'));

    // Still down: maintain reports it, keeps the marks, and writes extractive summaries marked for later.
    const stillDown = await engramRun(['--json', ...base, '--llm', deadLlm, 'maintain']);
    assert.equal(stillDown.status, 0, stillDown.stderr);
    const first = JSON.parse(stillDown.stdout) as {
      summaries: Array<{ method: string }>;
      llmFallbacks: Array<{ task: string }>;
      llmRetried: { turns: number };
    };
    assert.equal(first.llmRetried.turns, 0);
    assert.deepEqual([...new Set(first.llmFallbacks.map((f) => f.task))].sort(), ['extract', 'summary']);
    assert.ok(first.summaries.every((s) => s.method === 'extractive'));
    assert.match(stillDown.stderr, /warning: the LLM failed/);

    // Back up: maintain extracts the marked turns with the LLM, clears the marks and rewrites the summaries.
    const llm = `openai:${server.url}#test`;
    const second = await json<{
      summaries: Array<{ method: string; replaced: boolean }>;
      llmFallbacks: unknown[];
      llmRetried: { turns: number; facts: number };
    }>([...base, '--llm', llm, 'maintain']);
    assert.equal(second.llmRetried.turns, 12);
    assert.ok(second.llmRetried.facts > 0);
    assert.deepEqual(second.llmFallbacks, []);
    assert.ok(second.summaries.length > 0 && second.summaries.every((s) => s.method === 'llm' && s.replaced));
    // (maintain archives faded assistant turns, so archived ones are listed too)
    const after = await json<{ items: Memory[] }>([
      ...base,
      'list',
      '--user',
      'maya',
      '--kind',
      'turn',
      '--include-archived',
    ]);
    assert.equal(after.items.length, 12);
    assert.ok(after.items.every((t) => t.metadata.llmPending === undefined));
    const facts = await json<{ items: Memory[] }>([
      ...base,
      'list',
      '--user',
      'maya',
      '--kind',
      'fact',
      '--limit',
      '200',
    ]);
    assert.ok(facts.items.some((f) => f.metadata.extractor === 'llm:openai-chat:test'));

    // A third run has nothing left to redo.
    const third = await json<{ summaries: unknown[]; llmRetried: { turns: number } }>([
      ...base,
      '--llm',
      llm,
      'maintain',
    ]);
    assert.equal(third.llmRetried.turns, 0);
    assert.equal(third.summaries.length, 0);
  });

  it('takes the model from $ENGRAM_LLM and the key from $ENGRAM_LLM_KEY', async () => {
    const db = join(dir, 'env.db');
    const before = server.requests.length;
    await json(['--db', db, '--embedder', 'none', 'ingest', SAMPLE], {
      ENGRAM_LLM: `openai:${server.url}#test`,
      ENGRAM_LLM_KEY: 'sk-test-key',
    });
    const sent = server.requests.slice(before).filter((r) => r.path === '/v1/chat/completions');
    assert.ok(sent.length > 0);
    assert.equal(sent[0]!.headers.authorization, 'Bearer sk-test-key');
  });

  it('rejects a malformed --llm before touching the database', async () => {
    const db = join(dir, 'bad.db');
    const r = await engramRun(['--db', db, '--llm', 'gpt-4o', 'ingest', SAMPLE]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Invalid LLM "gpt-4o": write openai:<base-url>#<model>/);
  });
});
