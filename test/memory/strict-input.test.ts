/** Dates are real ISO 8601 calendar dates; text that UTF-8 cannot hold is refused (issue 12, item 7). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EngramError } from '../../src/core/errors.js';
import { parseIsoDate } from '../../src/core/iso-date.js';
import { open } from '../../src/memory/open.js';
import type { Engram } from '../../src/memory/types.js';
import { api, startTestServer, type TestServer } from '../server/helpers.js';

test('parseIsoDate accepts ISO 8601 dates and date-times, and nothing it would have to repair', () => {
  const ok: [string, string][] = [
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2024-05-01T10:00', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T10:00:00.123456Z', '2024-05-01T10:00:00.123Z'],
    ['2024-05-01 10:00:00+02:00', '2024-05-01T08:00:00.000Z'],
    ['2024-05-01T10:00:00-0530', '2024-05-01T15:30:00.000Z'],
  ];
  for (const [text, iso] of ok) assert.equal(parseIsoDate(text)?.toISOString(), iso, text);
  for (const bad of [
    '2024-02-30',
    '2023-02-29',
    '2024-13-01',
    '2024-04-31',
    '1',
    '2024',
    'May 1, 2024',
    '2024/05/01',
    '2024-05-01T24:00:00Z',
    '2024-05-01T10:60:00Z',
    '2024-05-01T10:00:00+25:00',
    '',
  ]) {
    assert.equal(parseIsoDate(bad), null, bad);
  }
});

describe('the engine and the REST API refuse impossible dates and unpaired surrogates', () => {
  let memory: Engram;
  let s: TestServer;
  before(async () => {
    memory = await open({ path: ':memory:', embedder: 'none' });
    s = await startTestServer({ logLevel: 'silent' });
  });
  after(async () => {
    await memory.close();
    await s.stop();
  });

  test('2024-02-30 and "1" are INVALID_DATE, nothing stored', async () => {
    for (const occurredAt of ['2024-02-30', '1']) {
      await assert.rejects(
        memory.add({ user: 'u', text: 'a dated note', occurredAt }),
        (e: unknown) => e instanceof EngramError && e.code === 'INVALID_DATE',
      );
      const res = await api(s.url, 'POST', '/v1/memories', {
        body: { user: 'u', text: 'a dated note', occurredAt },
      });
      assert.equal(res.status, 400);
      assert.equal(res.json.error.code, 'INVALID_DATE');
      const search = await api(s.url, 'POST', '/v1/search', {
        body: { user: 'u', query: 'note', now: occurredAt },
      });
      assert.equal(search.json.error.code, 'INVALID_DATE');
    }
    assert.equal((await memory.list({ user: 'u' })).items.length, 0);
  });

  test('a lone surrogate is refused with 400 (it could not be stored as sent); pairs are stored exactly', async () => {
    for (const body of [
      { user: 'u', text: 'half a pair \uD83D here' },
      { user: 'u\uDC00', text: 'fine text' },
      { user: 'u', text: 'fine text', speaker: 'x\uD800' },
    ]) {
      const res = await api(s.url, 'POST', '/v1/memories', { body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.error.code, 'INVALID_INPUT');
      assert.match(res.json.error.message, /unpaired UTF-16 surrogate/);
    }
    const text = 'a whole pair \uD83D\uDE00 and CJK 猫';
    const stored = await api(s.url, 'POST', '/v1/memories', { body: { user: 'u', text } });
    assert.equal(stored.status, 201);
    assert.equal(stored.json.text, text);
    const got = await api(s.url, 'GET', `/v1/memories/${stored.json.id}`);
    assert.equal(got.json.text, text);
  });
});
