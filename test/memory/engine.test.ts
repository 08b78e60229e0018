import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MAX_QUERY_LENGTH } from '../../src/core/limits.js';
import { open } from '../../src/index.js';
import { testDb } from '../helpers/backend.js';
import { fakeEmbedder } from '../helpers/fake-embedder.js';

const tmp = () => testDb(mkdtempSync(join(tmpdir(), 'engram-engine-')), 'e.db');

describe('engine: adding and validating', () => {
  it('adds a memory with defaults and a sortable ULID', async () => {
    const e = await open({ path: testDb(), embedder: 'none' });
    const a = await e.add({ user: 'ann', text: 'first' });
    const b = await e.add({ user: 'ann', text: 'second' });
    assert.match(a.id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.ok(a.id < b.id);
    assert.equal(a.kind, 'note');
    assert.equal(a.tenant, 'default');
    assert.equal(a.status, 'active');
    assert.equal(a.validFrom, a.occurredAt);
    assert.deepEqual(await e.get(a.id), a);
    await e.close();
  });

  it('refuses a vector cache budget that is not a positive number of MiB', async () => {
    for (const vectorCacheMb of [0, -5, Number.NaN]) {
      await assert.rejects(open({ path: testDb(), embedder: 'none', vectorCacheMb }), {
        code: 'INVALID_INPUT',
        message: /vectorCacheMb must be a positive number/,
      });
    }
    const e = await open({ path: testDb(), embedder: 'none', vectorCacheMb: 0.5 });
    await e.close();
  });

  it('rejects bad input with a typed error and stores nothing', async () => {
    const e = await open({ path: testDb(), embedder: 'none', maxTextLength: 50 });
    await assert.rejects(e.add({ user: 'ann', text: '   ' }), { code: 'EMPTY_TEXT' });
    await assert.rejects(e.add({ user: 'ann', text: 'x'.repeat(51) }), {
      code: 'TEXT_TOO_LONG',
      message: /limit is 50/,
    });
    await assert.rejects(e.add({ user: 'ann', text: 'ok', occurredAt: 'yesterday-ish' }), {
      code: 'INVALID_DATE',
    });
    await assert.rejects(e.add({ user: '', text: 'ok' }), { code: 'INVALID_INPUT' });
    await assert.rejects(e.add({ user: 'ann', text: 'ok', kind: 'poem' as never }), {
      code: 'INVALID_INPUT',
    });
    await assert.rejects(e.get('01HZZZZZZZZZZZZZZZZZZZZZZZ'), { code: 'NOT_FOUND' });
    // Queries have their own bound on every interface, whatever maxTextLength allows for memories.
    await assert.rejects(e.search('a'.repeat(MAX_QUERY_LENGTH + 1), { user: 'ann' }), {
      code: 'TEXT_TOO_LONG',
      message: /query has 4001 characters; the limit is 4000/,
    });
    await assert.rejects(e.buildContext({ user: 'ann', query: '猫'.repeat(MAX_QUERY_LENGTH + 1) }), {
      code: 'TEXT_TOO_LONG',
    });
    await assert.rejects(
      e.addMany([
        { user: 'ann', text: 'good' },
        { user: 'ann', text: '' },
      ]),
      {
        code: 'EMPTY_TEXT',
        message: /item 1/,
      },
    );
    assert.equal((await e.stats()).memories, 0);
    await e.close();
  });

  it('reinforces an identical note instead of adding a copy, and never deletes', async () => {
    const e = await open({ path: testDb(), embedder: 'none' });
    const a = await e.add({ user: 'ann', text: 'Ann is allergic to penicillin', kind: 'fact' });
    const b = await e.add({ user: 'ann', text: 'Ann is allergic to penicillin', kind: 'fact' });
    assert.equal(b.id, a.id);
    assert.equal(b.accessCount, 1);
    assert.equal((await e.stats()).memories, 1);
    assert.deepEqual(
      (await e.history(a.id)).map((h) => h.action),
      ['add', 'reinforce'],
    );
    // Turns are events: the same words twice are two turns.
    await e.add({ user: 'ann', text: 'ok', kind: 'turn' });
    await e.add({ user: 'ann', text: 'ok', kind: 'turn' });
    assert.equal((await e.stats()).memories, 3);
    await e.close();
  });
});

describe('engine: search', () => {
  it('finds by BM25 within the user scope only', async () => {
    const e = await open({ path: testDb(), embedder: 'none' });
    await e.addMany([
      { user: 'ann', text: 'I adopted a beagle named Pretzel' },
      { user: 'ann', text: 'My car needs new tyres' },
      { user: 'bob', text: 'Bob adopted a cat' },
    ]);
    const hits = await e.search('adopted beagle', { user: 'ann' });
    assert.equal(hits[0]!.text, 'I adopted a beagle named Pretzel');
    assert.ok(hits.every((h) => h.memory.user === 'ann'));
    await assert.rejects(e.search('  ', { user: 'ann' }), { code: 'EMPTY_TEXT' });
    await assert.rejects(e.search('x', { user: 'ann', k: 0 }), { code: 'INVALID_INPUT' });
    await e.close();
  });

  it('fuses vector and BM25 candidates and explains the score', async () => {
    const e = await open({ path: testDb(), embedder: fakeEmbedder() });
    await e.addMany([
      { user: 'ann', text: 'my dog loves the park' },
      { user: 'ann', text: 'I drive my car to work' },
    ]);
    // "puppy" shares no word with the dog memory: only the vector retriever can find it.
    const hits = await e.search('puppy', { user: 'ann', explain: true });
    assert.equal(hits[0]!.text, 'my dog loves the park');
    assert.ok(hits[0]!.explain?.vector);
    assert.equal(hits[0]!.explain?.bm25, undefined);
    const bm25Only = await e.search('puppy', { user: 'ann', mode: 'bm25' });
    assert.equal(bm25Only.length, 0);
    await e.close();
  });

  it('never compares vectors of different models', async () => {
    const path = tmp();
    const a = await open({ path, embedder: fakeEmbedder('model-a') });
    await a.add({ user: 'ann', text: 'my dog loves the park' });
    await a.close();
    const b = await open({ path, embedder: fakeEmbedder('model-b') });
    assert.equal((await b.search('puppy', { user: 'ann', mode: 'vector' })).length, 0);
    const r = await b.reindex();
    assert.deepEqual(r, { embedded: 1, model: 'model-b' });
    assert.equal((await b.search('puppy', { user: 'ann', mode: 'vector' })).length, 1);
    await b.close();
  });

  it('records a recall on the hits', async () => {
    const e = await open({ path: testDb(), embedder: 'none' });
    const m = await e.add({ user: 'ann', text: 'the blue notebook is in the drawer' });
    await e.search('blue notebook', { user: 'ann', now: '2024-06-01T00:00:00Z' });
    const got = await e.get(m.id);
    assert.equal(got.accessCount, 1);
    assert.equal(got.lastAccessedAt, '2024-06-01T00:00:00.000Z');
    await e.search('blue notebook', { user: 'ann', reinforce: false });
    assert.equal((await e.get(m.id)).accessCount, 1);
    await e.close();
  });
});

describe('engine: update, delete, history, tenants', () => {
  it('keeps every version in history and hides deleted memories from search', async () => {
    const e = await open({ path: testDb(), embedder: 'none' });
    const m = await e.add({ user: 'ann', text: 'meeting on Monday' });
    const u = await e.update(m.id, { text: 'meeting on Tuesday' });
    assert.equal(u.text, 'meeting on Tuesday');
    await e.delete(m.id);
    assert.equal((await e.search('meeting', { user: 'ann' })).length, 0);
    assert.equal((await e.list({ user: 'ann' })).items.length, 0);
    assert.equal((await e.list({ user: 'ann', includeDeleted: true })).items.length, 1);
    const h = await e.history(m.id);
    assert.deepEqual(
      h.map((x) => x.action),
      ['add', 'update', 'delete'],
    );
    assert.equal(h[1]!.before?.text, 'meeting on Monday');
    assert.equal(h[1]!.after?.text, 'meeting on Tuesday');
    await assert.rejects(e.update(m.id, { text: 'again' }), { code: 'NOT_FOUND' });
    await e.close();
  });

  it('confines every operation to the handle’s tenant', async () => {
    const root = await open({ path: testDb(), embedder: 'none' });
    const a = root.withContext({ tenant: 'acme' });
    const b = root.withContext({ tenant: 'globex' });
    const m = await a.add({ user: 'u', text: 'acme secret plan' });
    await assert.rejects(b.get(m.id), { code: 'NOT_FOUND' });
    await assert.rejects(b.update(m.id, { text: 'pwned' }), { code: 'NOT_FOUND' });
    await assert.rejects(b.delete(m.id), { code: 'NOT_FOUND' });
    await assert.rejects(b.erase({ id: m.id }), { code: 'NOT_FOUND' });
    assert.equal((await b.search('secret plan', { user: 'u' })).length, 0);
    assert.equal((await b.erase({ user: 'u' })).erased, 0);
    const exported: string[] = [];
    for await (const l of b.export()) exported.push(l);
    assert.deepEqual(exported, []);
    assert.equal((await b.stats()).memories, 0);
    assert.equal((await a.get(m.id)).text, 'acme secret plan');
    await root.close();
  });
});

describe('engine: export and import', () => {
  it('round-trips every field of every memory', async () => {
    const src = await open({ path: tmp(), embedder: 'none' });
    const a = await src.add({
      user: 'ann',
      agent: 'tutor',
      session: 's1',
      kind: 'fact',
      speaker: 'Ann',
      role: 'user',
      text: 'Ann’s favourite element is 鉍 (bismuth) — "quoted"\nnew line',
      metadata: { source: 'test', n: 3, nested: { ok: true } },
      occurredAt: '2023-05-08T13:56:00Z',
      importance: 0.9,
    });
    const b = await src.add({ user: 'ann', text: 'to be archived' });
    await src.update(b.id, { status: 'archived' });
    const c = await src.add({ user: 'bob', text: 'deleted one' });
    await src.delete(c.id);
    await src.search('favourite element', { user: 'ann' });
    const lines: string[] = [];
    for await (const l of src.export()) lines.push(l);
    const originals = [await src.get(a.id), await src.get(b.id), await src.get(c.id)];
    await src.close();
    assert.equal(lines.length, 3);
    const dst = await open({ path: tmp(), embedder: 'none' });
    assert.deepEqual(await dst.import(lines.join('\n')), { imported: 3 });
    for (const o of originals) assert.deepEqual(await dst.get(o.id), o);
    await dst.close();
  });

  it('rejects malformed JSONL with the line number and imports nothing', async () => {
    const e = await open({ path: testDb(), embedder: 'none' });
    const m = await e.add({ user: 'ann', text: 'good' });
    const good = JSON.stringify({ ...m, id: '01J00000000000000000000000' });
    await assert.rejects(e.import(`${good}\n{not json`), { code: 'INVALID_JSON', message: /line 2/ });
    await assert.rejects(e.import(`${good}\n${JSON.stringify({ ...m, id: 'x2', occurredAt: 'nope' })}`), {
      code: 'INVALID_INPUT',
      message: /line 2: occurredAt/,
    });
    assert.equal((await e.stats()).memories, 1);
    await e.close();
  });
});
