import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cachedLlm } from '../../src/bench/qa/cache.js';
import { answerTokens, bleu1, tokenF1 } from '../../src/bench/qa/metrics.js';
import { QA_PROMPTS_HASH } from '../../src/bench/qa/prompts.js';
import { parseJudgement, type QaReport } from '../../src/bench/qa/runner.js';
import { createOpenAIChatClient } from '../../src/llm/openai-chat.js';
import { engramRun, tempDir } from '../helpers/cli.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../helpers/tiny-openai-server.js';

const FIXTURE = 'test/bench/fixtures/locomo';

describe('QA metrics', () => {
  it('tokenises like the published comparisons: lower case, punctuation dropped', () => {
    assert.deepEqual(answerTokens('On 7 May, 2023 — the "Blue" vase!'), [
      'on',
      '7',
      'may',
      '2023',
      'the',
      'blue',
      'vase',
    ]);
  });

  it('token F1 counts shared tokens with multiplicity', () => {
    assert.equal(tokenF1('the red kite', 'the red kite'), 1);
    assert.equal(tokenF1('a kite', 'kite'), 2 / 3); // precision 1/2, recall 1
    assert.equal(tokenF1('kite kite', 'kite'), 2 / 3); // one "kite" matches: precision 1/2
    assert.equal(tokenF1('unknown', 'Lisbon'), 0);
  });

  it('BLEU-1 is clipped unigram precision with the brevity penalty', () => {
    assert.equal(bleu1('red kite', 'red kite'), 1);
    assert.equal(bleu1('kite kite kite', 'red kite'), 1 / 3);
    // Shorter than the reference: precision 1 times exp(1 - 4/2).
    assert.ok(Math.abs(bleu1('red kite', 'a red paper kite') - Math.exp(-1)) < 1e-12);
    assert.equal(bleu1('', 'kite'), 0);
  });

  it('reads the judge: JSON label, else a bare CORRECT', () => {
    assert.equal(parseJudgement('{"reasoning": "same city", "label": "CORRECT"}'), true);
    assert.equal(parseJudgement('{"label": "wrong"}'), false);
    assert.equal(parseJudgement('CORRECT'), true);
    assert.equal(parseJudgement('WRONG, not CORRECT'), false);
    assert.equal(parseJudgement('no idea'), false);
  });
});

describe('engram bench locomo --qa against the test server', () => {
  let server: FakeOpenAIServer;
  let dir: string;
  before(async () => {
    server = await startFakeOpenAIServer();
    dir = tempDir('engram-qa-');
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports J, F1 and BLEU-1 by category for Engram and the full context, and a rerun asks nothing', async () => {
    const out = join(dir, 'qa.md');
    const cache = join(dir, 'cache');
    const args = [
      '--embedder',
      'none',
      '--llm',
      `openai:${server.url}#test`,
      '--json',
      'bench',
      'locomo',
      '--qa',
      '--data',
      FIXTURE,
      '--budget',
      '400',
      '--cache',
      cache,
      '--out',
      out,
    ];
    const first = await engramRun(args);
    assert.equal(first.status, 0, first.stderr);
    const report = JSON.parse(first.stdout) as QaReport;
    // The fixture's 8 questions minus the two adversarial ones (category 5).
    assert.equal(report.questions, 6);
    assert.deepEqual(report.skippedCategories, ['adversarial']);
    assert.equal(report.config.promptsHash, QA_PROMPTS_HASH);
    assert.equal(report.config.budget, 400);
    for (const system of ['engram', 'full-context'] as const) {
      const s = report.systems[system];
      assert.equal(s.overall.questions, 6);
      assert.deepEqual(Object.keys(s.byCategory).sort(), [
        'multi-hop',
        'open-domain',
        'single-hop',
        'temporal',
      ]);
      for (const scores of [s.overall, ...Object.values(s.byCategory)]) {
        for (const key of ['j', 'f1', 'bleu1'] as const) assert.ok(scores[key] >= 0 && scores[key] <= 1);
      }
    }
    // The deterministic model answers "What is the name of Ada's cat?" with the turn that names her.
    const cat = report.records.find((r) => r.question === "What is the name of Ada's cat?")!;
    assert.equal(
      cat.answers['full-context'].answer,
      'Hi Bruno! I finally adopted a cat last weekend, her name is Pepper.',
    );
    assert.equal(cat.answers['full-context'].correct, true);
    assert.ok(cat.answers['full-context'].f1 > 0);
    assert.ok(report.systems.engram.overall.j > 0);
    // Every record's scores add up to the reported means.
    const meanJ = report.records.filter((r) => r.answers.engram.correct).length / report.records.length;
    assert.equal(report.systems.engram.overall.j, meanJ);
    // Two systems × (answer + judge) per question; a judgement both systems share is asked once.
    assert.equal(report.cache!.hits + report.cache!.misses, 24);
    assert.equal(readdirSync(cache).filter((f) => f.endsWith('.json')).length, report.cache!.misses);

    const markdown = readFileSync(out, 'utf8');
    assert.match(markdown, /\| Category \| System \| Questions \| J % \| F1 % \| BLEU-1 % \|/);
    assert.match(markdown, /\| \*\*overall\*\* \| engram \| 6 \|/);
    assert.match(markdown, /\| \*\*overall\*\* \| full-context \| 6 \|/);
    assert.match(markdown, /\| temporal \| full-context \| 1 \|/);

    const requests = server.requests.length;
    const second = await engramRun(args);
    assert.equal(second.status, 0, second.stderr);
    const again = JSON.parse(second.stdout) as QaReport;
    assert.deepEqual(again.cache, { hits: 24, misses: 0 });
    assert.equal(server.requests.length, requests, 'a rerun sends nothing');
    assert.deepEqual(again.systems, report.systems);
  });

  it('without an LLM it says how to configure one', async () => {
    const r = await engramRun(['bench', 'locomo', '--qa', '--data', FIXTURE], { env: { ENGRAM_LLM: '' } });
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /bench --qa answers every question with a chat model.*--llm openai:<base-url>#<model>/,
    );
  });

  it('the cache keys on model and messages', async () => {
    const client = createOpenAIChatClient({ baseUrl: server.url, model: 'test' });
    const cached = cachedLlm(client, join(dir, 'unit-cache'));
    const before = server.requests.length;
    const a = await cached.chat([{ role: 'user', content: 'one' }]);
    const b = await cached.chat([{ role: 'user', content: 'one' }]);
    const c = await cached.chat([{ role: 'user', content: 'two' }]);
    assert.equal(a, 'echo: one');
    assert.equal(b, a);
    assert.equal(c, 'echo: two');
    assert.deepEqual(cached.stats, { hits: 1, misses: 2 });
    assert.equal(server.requests.length - before, 2);
  });
});

describe('docs/bench.md', () => {
  it('shows the QA prompts exactly as the code sends them', async () => {
    const { QA_ANSWER_PROMPT, QA_JUDGE_PROMPT } = await import('../../src/bench/qa/prompts.js');
    const doc = readFileSync('docs/bench.md', 'utf8');
    assert.ok(doc.includes(`\`\`\`text\n${QA_ANSWER_PROMPT}\n\`\`\``));
    assert.ok(doc.includes(`\`\`\`text\n${QA_JUDGE_PROMPT}\n\`\`\``));
  });
});
