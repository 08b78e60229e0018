import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { engram, engramJson, tempDir } from '../helpers/cli.js';

interface Mem {
  id: string;
  text: string;
  kind: string;
  speaker: string | null;
  occurredAt: string;
  metadata: Record<string, unknown>;
  session: string | null;
}

describe('engram CLI', () => {
  const dir = tempDir();
  const db = join(dir, 'cli.db');
  const base = ['--db', db];

  it('adds a memory and prints its id; --json prints the memory', () => {
    const r = engram([...base, 'add', '--user', 'ann', '--embedder-off-check', 'x']);
    assert.notEqual(r.status, 0, 'unknown options fail');
    const plain = engram([...base, 'add', '--user', 'ann', 'I', 'love', 'green', 'tea']);
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout.trim(), /^[0-9A-Z]{26}$/);
    const m = engramJson<Mem>([
      ...base,
      'add',
      '--user',
      'ann',
      '--session',
      's9',
      '--speaker',
      'Ann',
      '--at',
      '2024-02-03T04:05:06Z',
      '--kind',
      'fact',
      '--meta',
      'source=cli',
      '--meta',
      'mood=happy',
      'Ann',
      'plays',
      'the',
      'cello',
    ]);
    assert.equal(m.text, 'Ann plays the cello');
    assert.equal(m.kind, 'fact');
    assert.equal(m.speaker, 'Ann');
    assert.equal(m.session, 's9');
    assert.equal(m.occurredAt, '2024-02-03T04:05:06.000Z');
    assert.deepEqual(m.metadata, { source: 'cli', mood: 'happy' });
  });

  it('searches with the documented JSON shape, best first', () => {
    const out = engramJson<{ hits: Record<string, unknown>[] }>([
      ...base,
      'search',
      '--user',
      'ann',
      '--k',
      '5',
      'cello',
    ]);
    assert.ok(out.hits.length >= 1);
    assert.equal(out.hits[0]!.text, 'Ann plays the cello');
    assert.deepEqual(Object.keys(out.hits[0]!).sort(), [
      'eventTimes',
      'id',
      'kind',
      'metadata',
      'occurredAt',
      'score',
      'session',
      'speaker',
      'text',
    ]);
  });

  it('finds what happened on a day from a turn said days later, and prints its event date', () => {
    const story = ['--db', join(dir, 'priya.db')];
    const file = join(dir, 'priya.jsonl');
    const turn = (session: string, speaker: string, text: string, at: string) =>
      JSON.stringify({ session, speaker, role: speaker === 'Priya' ? 'user' : 'assistant', text, at });
    writeFileSync(
      file,
      [
        turn('s1', 'Priya', 'I started a new job at the library this week.', '2023-09-06T18:00:00Z'),
        turn('s1', 'Assistant', 'Congratulations! How is the team?', '2023-09-06T18:00:30Z'),
        turn('s1', 'Priya', 'My manager seems really kind.', '2023-09-06T18:01:00Z'),
        turn('s2', 'Priya', 'Last Sunday I swam across the lake for charity.', '2023-09-14T19:00:00Z'),
        turn('s2', 'Assistant', 'That is impressive, well done!', '2023-09-14T19:00:30Z'),
        turn('s2', 'Priya', 'Tomorrow I am baking bread with my neighbour.', '2023-09-14T19:01:00Z'),
        turn('s3', 'Priya', 'I did some gardening and watched a film.', '2023-09-22T20:00:00Z'),
        turn('s3', 'Assistant', 'Sounds like a relaxing evening.', '2023-09-22T20:00:30Z'),
        turn('s3', 'Priya', 'Work was busy, we catalogued old maps all week.', '2023-09-22T20:01:00Z'),
      ].join('\n'),
    );
    const ingested = engram([...story, 'ingest', '--user', 'priya', file]);
    assert.equal(ingested.status, 0, ingested.stderr);
    const query = [
      'search',
      '--user',
      'priya',
      '--now',
      '2023-09-30',
      'what did Priya do on 10 September 2023?',
    ];
    const plain = engram([...story, ...query]);
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(
      plain.stdout.split('\n')[0]!,
      /^ 1\. \[[\d.]+\] 2023-09-14 \(happened 2023-09-10\) Priya: Last Sunday I swam across the lake for charity\.$/,
      plain.stdout,
    );
    const json = engramJson<{ hits: { text: string; eventTimes: unknown[] }[] }>([
      ...story,
      '--json',
      ...query,
    ]);
    assert.deepEqual(json.hits[0]!.eventTimes, [
      { text: 'Last Sunday', start: '2023-09-10', end: '2023-09-11', granularity: 'day' },
    ]);
  });

  it('gets, updates, lists, shows history, deletes', () => {
    const id = engram([...base, 'add', '--user', 'ann', 'meeting', 'on', 'Monday']).stdout.trim();
    assert.equal(engramJson<Mem>([...base, 'get', id]).text, 'meeting on Monday');
    assert.equal(engram([...base, 'update', id, 'meeting', 'on', 'Tuesday']).status, 0);
    const page = engramJson<{ items: Mem[]; nextCursor: string | null }>([...base, 'list', '--user', 'ann']);
    assert.ok(page.items.some((m) => m.text === 'meeting on Tuesday'));
    const hist = engramJson<{ history: { action: string }[] }>([...base, 'history', id]);
    assert.deepEqual(
      hist.history.map((h) => h.action),
      ['add', 'update'],
    );
    assert.equal(engram([...base, 'delete', id]).status, 0);
    const after = engramJson<{ hits: Mem[] }>([...base, 'search', '--user', 'ann', 'meeting']);
    assert.ok(after.hits.length > 0, 'other memories are still found');
    assert.equal(
      after.hits.some((h) => h.id === id),
      false,
    );
  });

  it('fails with a one-line error and a non-zero exit on bad input', () => {
    const empty = engram([...base, 'add', '--user', 'ann', '   ']);
    assert.equal(empty.status, 1);
    assert.match(empty.stderr, /^engram: text is empty/);
    assert.equal(empty.stderr.trim().split('\n').length, 1);
    const date = engram([...base, 'add', '--user', 'ann', '--at', '31/31/2020', 'x']);
    assert.equal(date.status, 1);
    assert.match(date.stderr, /not a valid date/);
    const missing = engram([...base, '--json', 'get', '01HZZZZZZZZZZZZZZZZZZZZZZZ']);
    assert.equal(missing.status, 1);
    assert.deepEqual(JSON.parse(missing.stdout).error.code, 'NOT_FOUND');
    const notDb = join(dir, 'notes.txt');
    writeFileSync(notDb, 'just some notes');
    const bad = engram(['--db', notDb, 'stats']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /not an Engram database/);
    assert.equal(readFileSync(notDb, 'utf8'), 'just some notes');
  });

  it('exports JSONL and imports it into another database, all or nothing', () => {
    const exported = engram([...base, 'export', '--user', 'ann']);
    assert.equal(exported.status, 0);
    const lines = exported.stdout.trim().split('\n');
    assert.ok(lines.length >= 3);
    const file = join(dir, 'export.jsonl');
    writeFileSync(file, exported.stdout);
    const db2 = join(dir, 'copy.db');
    const imp = engramJson<{ imported: number }>(['--db', db2, 'import', file]);
    assert.equal(imp.imported, lines.length);
    const again = engram(['--db', db2, '--json', 'import', file]);
    assert.equal(again.status, 1);
    assert.equal(JSON.parse(again.stdout).error.code, 'CONFLICT');
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, `${lines[0]}\n{"id": oops}\n`);
    const b = engram(['--db', join(dir, 'empty.db'), 'import', broken]);
    assert.equal(b.status, 1);
    assert.match(b.stderr, /line 2/);
    assert.equal(engramJson<{ memories: number }>(['--db', join(dir, 'empty.db'), 'stats']).memories, 0);
  });

  it('lists entities and prints a profile (--json and text)', () => {
    const entDb = ['--db', join(dir, 'entities.db')];
    for (const text of [
      'My sister Lena moved to Gdansk last year.',
      'Lena plays the cello in an orchestra.',
    ]) {
      const r = engram([...entDb, 'add', '--user', 'ent', '--kind', 'turn', '--speaker', 'Olek', text]);
      assert.equal(r.status, 0, r.stderr);
    }
    const list = engramJson<Array<{ name: string; type: string; mentions: number }>>([
      ...entDb,
      'entities',
      '--user',
      'ent',
    ]);
    const lena = list.find((e) => e.name === 'Lena');
    assert.equal(lena?.type, 'person');
    assert.equal(lena?.mentions, 2);
    assert.ok(list.some((e) => e.name === 'Gdansk' && e.type === 'place'));
    const profile = engramJson<{ entity: { name: string }; timeline: Array<{ text: string }> }>([
      ...entDb,
      'profile',
      '--user',
      'ent',
      'my',
      'sister',
    ]);
    assert.equal(profile.entity.name, 'Lena');
    assert.equal(profile.timeline.length, 2);
    const text = engram([...entDb, 'profile', '--user', 'ent', 'Lena']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^Lena \(person\), 2 mentions/);
    assert.match(text.stdout, /plays the cello/);
    const missing = engram([...entDb, 'profile', '--user', 'ent', 'Nobody']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no entity "Nobody"/);
  });

  it('erases a user', () => {
    const r = engramJson<{ erased: number }>([...base, 'erase', '--user', 'ann']);
    assert.ok(r.erased >= 3);
    assert.equal(engramJson<{ hits: Mem[] }>([...base, 'search', '--user', 'ann', 'cello']).hits.length, 0);
    assert.equal(engramJson<{ memories: number }>([...base, 'stats']).memories, 0);
    assert.equal(engram([...base, 'erase']).status, 1);
  });

  it('uses $ENGRAM_DB when --db is not given', () => {
    const envDb = join(dir, 'env.db');
    engram(['add', '--user', 'env', 'from the environment'], { env: { ENGRAM_DB: envDb } });
    assert.equal(engramJson<{ memories: number }>(['--db', envDb, 'stats']).memories, 1);
  });
});
