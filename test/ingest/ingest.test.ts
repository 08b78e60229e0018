import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConversationFile } from '../../src/ingest/conversation-file.js';
import { parseLocomo, parseLocomoDateTime } from '../../src/ingest/locomo.js';
import { engram, engramJson, tempDir } from '../helpers/cli.js';

const FIXTURE = join('test', 'fixtures', 'locomo-mini.json');

interface Hit {
  text: string;
  speaker: string;
  session: string;
  occurredAt: string;
  metadata: Record<string, unknown>;
}

describe('LoCoMo parsing', () => {
  it('parses session times as UTC', () => {
    assert.equal(parseLocomoDateTime('1:56 pm on 8 May, 2023'), '2023-05-08T13:56:00.000Z');
    assert.equal(parseLocomoDateTime('12:09 am on 13 September, 2023'), '2023-09-13T00:09:00.000Z');
    assert.throws(() => parseLocomoDateTime('sometime in spring'), { code: 'INVALID_DATE' });
  });

  it('keeps sessions with turns, dialog ids, captions and questions', () => {
    const [conv] = parseLocomo(JSON.parse(readFileSync(FIXTURE, 'utf8')), 'locomo-mini');
    assert.equal(conv!.sampleId, 'locomo-mini');
    assert.deepEqual(
      conv!.sessions.map((s) => [s.id, s.at, s.turns.length]),
      [
        ['session_1', '2024-03-12T15:15:00.000Z', 3],
        ['session_2', '2024-04-02T10:00:00.000Z', 2],
      ],
    );
    assert.equal(
      conv!.sessions[0]!.turns[2]!.imageCaption,
      'a photo of a blue ceramic bowl on a wooden table',
    );
    assert.deepEqual(conv!.qa[0]!.evidence, ['D1:1']);
  });

  it('accepts the combined locomo10.json list format', () => {
    const one = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    const { qa, ...conversation } = one;
    const parsed = parseLocomo([{ sample_id: 'conv-x', conversation, qa }], 'ignored');
    assert.equal(parsed[0]!.sampleId, 'conv-x');
    assert.equal(parsed[0]!.qa.length, 1);
  });
});

describe('conversation files', () => {
  it('groups JSONL messages by user and session and reports the bad line', () => {
    const ok = parseConversationFile(
      [
        '{"user":"a","session":"s1","speaker":"A","text":"hello","at":"2024-01-01T00:00:00Z"}',
        '{"user":"a","session":"s2","role":"user","text":"again"}',
        '',
        '{"user":"b","session":"s1","speaker":"B","text":"hi"}',
      ].join('\n'),
      'chat.jsonl',
    );
    assert.equal(ok.format, 'messages');
    assert.equal(ok.conversations.length, 3);
    assert.throws(() => parseConversationFile('{"user":"a","text":"x"}\n{"user": oops}\n', 'bad.jsonl'), {
      code: 'INVALID_JSON',
      message: /line 2/,
    });
    assert.throws(() => parseConversationFile('[{"user":"a","text":"  "}]', 'empty.json'), {
      code: 'EMPTY_TEXT',
    });
    assert.throws(() => parseConversationFile('[{"text":"no user"}]', 'nouser.json'), { message: /no user/ });
    assert.throws(() => parseConversationFile('[{"user":"a","text":"x","at":"not a date"}]', 'd.json'), {
      code: 'INVALID_DATE',
    });
  });
});

describe('engram ingest', () => {
  const dir = tempDir('engram-ingest-');

  it('stores a LoCoMo file under its base name with dialog ids and captions searchable', () => {
    const db = join(dir, 'l.db');
    const r = engramJson<{ turns: number; sessions: number; users: string[] }>([
      '--db',
      db,
      'ingest',
      FIXTURE,
    ]);
    assert.equal(r.turns, 5);
    assert.equal(r.sessions, 2);
    assert.deepEqual(r.users, ['locomo-mini']);
    const caption = engramJson<{ hits: Hit[] }>([
      '--db',
      db,
      'search',
      '--user',
      'locomo-mini',
      '--k',
      '1',
      'ceramic bowl',
    ]);
    assert.equal(caption.hits[0]!.metadata.dialogId, 'D1:3');
    assert.equal(caption.hits[0]!.metadata.imageCaption, 'a photo of a blue ceramic bowl on a wooden table');
    const turns = engramJson<{ hits: Hit[] }>([
      '--db',
      db,
      'search',
      '--user',
      'locomo-mini',
      '--kind',
      'turn',
      '--k',
      '1',
      'first mug',
    ]);
    assert.equal(turns.hits[0]!.metadata.dialogId, 'D2:2');
    assert.equal(turns.hits[0]!.speaker, 'Priya');
    assert.equal(turns.hits[0]!.session, 'session_2');
    assert.equal(turns.hits[0]!.occurredAt, '2024-04-02T10:00:01.000Z');
  });

  it('honours --user for a LoCoMo file and stores JSONL messages', () => {
    const db = join(dir, 'm.db');
    engramJson(['--db', db, 'ingest', '--user', 'priya', FIXTURE]);
    assert.equal(
      engramJson<{ items: unknown[] }>(['--db', db, 'list', '--user', 'priya', '--kind', 'turn']).items
        .length,
      5,
    );
    const file = join(dir, 'chat.jsonl');
    writeFileSync(
      file,
      '{"user":"ann","session":"s1","speaker":"Ann","text":"My cat Miso loves tuna","at":"2024-01-01T10:00:00Z"}\n' +
        '{"user":"ann","session":"s1","speaker":"Bot","role":"assistant","text":"Miso sounds lovely"}\n',
    );
    const r = engramJson<{ turns: number }>(['--db', db, 'ingest', file]);
    assert.equal(r.turns, 2);
    const hits = engramJson<{ hits: Hit[] }>([
      '--db',
      db,
      'search',
      '--user',
      'ann',
      '--kind',
      'turn',
      'tuna',
    ]);
    assert.equal(hits.hits[0]!.text, 'My cat Miso loves tuna');
  });

  it('ingests nothing from a file with a malformed line', () => {
    const db = join(dir, 'bad.db');
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"user":"z","text":"fine"}\n{"user":"z", "text": }\n');
    const r = engram(['--db', db, 'ingest', file]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /line 2/);
    assert.equal(engramJson<{ memories: number }>(['--db', db, 'stats']).memories, 0);
  });
});
