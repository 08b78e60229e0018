import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sharedGloveCacheDir } from '../embed/glove-fixture.js';
import { testDb } from '../helpers/backend.js';
import { engramJson, tempDir } from '../helpers/cli.js';
import { openStory, type Story, texts } from './story.js';

/** Alice lives in Paris, then moves to Berlin: search and context must say Berlin, and Paris only for the past. */
const SESSION_1: Array<[string, string]> = [
  ['Alice', 'Hi! I live in Paris, near the Canal Saint-Martin.'],
  ['Assistant', 'Lovely neighbourhood. How can I help today?'],
];
const SESSION_2: Array<[string, string]> = [
  ['Alice', 'Big news: I moved to Berlin last week!'],
  ['Assistant', 'Congratulations on the move. How is the new flat?'],
];

describe('story: relocation', () => {
  let story: Story;
  before(async () => {
    story = await openStory();
  });
  after(async () => {
    await story.close();
  });

  it('before the move: the user lives in Paris', async () => {
    await story.session('s1', '2023-01-10T09:00:00Z', SESSION_1);
    const hits = await story.search('where does the user live');
    assert.match(hits[0]?.text ?? '', /Alice lives in Paris/, texts(hits));
    const ctx = await story.context('where does Alice live');
    assert.match(ctx.facts[0]?.text ?? '', /Alice lives in Paris/);
  });

  it('after the move: Berlin first, Paris only when asked for the past', async () => {
    await story.session('s2', '2023-05-25T18:00:00Z', SESSION_2);
    const hits = await story.search('where does the user live');
    assert.equal(
      hits[0]?.text,
      'Alice lives in Berlin (moved there in the week of 15 May 2023).',
      texts(hits),
    );
    assert.ok(
      hits.every((h) => !h.text.includes('Paris')),
      texts(hits),
    );

    const past = await story.search('where does the user live', { includeSuperseded: true });
    assert.ok(
      past.some((h) => h.id === hits[0]?.id),
      texts(past),
    );
    const paris = past.find((h) => h.text === 'Alice lives in Paris.');
    assert.ok(paris, texts(past));
    assert.ok(paris.memory.validTo !== null && paris.memory.supersededBy === hits[0]?.id);

    const in2023 = await story.search('where did Alice live', { asOf: '2023-03-01T00:00:00Z' });
    assert.ok(
      in2023.some((h) => h.text === 'Alice lives in Paris.'),
      texts(in2023),
    );
    assert.ok(!in2023.some((h) => h.text.startsWith('Alice lives in Berlin')), texts(in2023));

    const ctx = await story.context('where does Alice live');
    assert.match(ctx.facts[0]?.text ?? '', /^Alice lives in Berlin/);
    assert.ok(!ctx.text.includes('Alice lives in Paris'), ctx.text);
    assert.ok(ctx.text.includes('Alice: "Big news: I moved to Berlin last week!"'), ctx.text);
  });
});

describe('story: relocation through the engram binary with the default embedder', () => {
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    dir = tempDir('engram-story-cli-');
    env = { ENGRAM_DB: testDb(dir, 'e.db'), ENGRAM_CACHE_DIR: await sharedGloveCacheDir() };
    const messages = [
      ...SESSION_1.map(([speaker, text], i) => ({
        user: 'U',
        session: 's1',
        speaker,
        text,
        at: `2023-01-10T09:0${i}:00Z`,
      })),
      ...SESSION_2.map(([speaker, text], i) => ({
        user: 'U',
        session: 's2',
        speaker,
        text,
        at: `2023-05-25T18:0${i}:00Z`,
      })),
    ];
    writeFileSync(join(dir, 'conversation.json'), JSON.stringify(messages));
    engramJson(['ingest', join(dir, 'conversation.json')], { env });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('`engram search "where does the user live"` ranks Berlin first and shows Paris only with --include-superseded', () => {
    type Hits = { hits: Array<{ text: string }> };
    const now = engramJson<Hits>(['search', '--user', 'U', 'where does the user live'], { env });
    assert.match(now.hits[0]?.text ?? '', /^Alice lives in Berlin/, texts(now.hits));
    assert.ok(
      now.hits.every((h) => !h.text.includes('Paris')),
      texts(now.hits),
    );
    const past = engramJson<Hits>(
      ['search', '--user', 'U', '--include-superseded', 'where does the user live'],
      { env },
    );
    assert.ok(
      past.hits.some((h) => h.text.startsWith('Alice lives in Berlin')),
      texts(past.hits),
    );
    assert.ok(
      past.hits.some((h) => h.text === 'Alice lives in Paris.'),
      texts(past.hits),
    );
  });

  it('`engram context --budget` puts the current city first, within the budget', () => {
    const ctx = engramJson<{ text: string; tokens: number; facts: Array<{ text: string }> }>(
      [
        'context',
        '--user',
        'U',
        '--budget',
        '300',
        '--now',
        '2023-06-01T00:00:00Z',
        'where does the user live',
      ],
      { env },
    );
    assert.match(ctx.facts[0]?.text ?? '', /^Alice lives in Berlin/, ctx.text);
    assert.ok(!ctx.text.includes('Alice lives in Paris'), ctx.text);
    assert.ok(ctx.tokens <= 300);
  });

  it('`engram maintain --dry-run` reports and changes nothing', () => {
    const before = engramJson<{ memories: number }>(['stats'], { env });
    const report = engramJson<{ dryRun: boolean; users: string[] }>(['maintain', '--dry-run'], { env });
    assert.equal(report.dryRun, true);
    assert.deepEqual(report.users, ['U']);
    assert.equal(engramJson<{ memories: number }>(['stats'], { env }).memories, before.memories);
  });
});
