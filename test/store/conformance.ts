import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ScopeFilter, Store } from '../../src/store/types.js';
import { analyze } from '../../src/text/analyzer.js';
import { makeMemory, unitVector } from '../helpers/memory-factory.js';
import { insert, replace, searchText, searchVector } from '../helpers/store-ops.js';

export interface StoreFactory {
  /** A new, empty store, with the production event-time indexer (createEventTimeIndexer). */
  create(): Promise<Store>;
  /** Cases this implementation skips, with the reason (none for SQLite). */
  skip?: Record<string, string>;
}

const actor = { action: 'add' as const, actor: 'test' };

/** The contract every Store implementation must meet, written against the interface only. */
export function storeConformance(name: string, factory: StoreFactory): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await factory.create();
    });
    after(async () => {
      await store.close();
    });

    it('inserts and gets a memory with every field intact', async () => {
      const m = makeMemory({
        metadata: { a: 1, nested: { b: [1, 2] } },
        speaker: 'Ann',
        role: 'user',
        importance: 0.7,
      });
      await insert(store, [m], new Map(), actor);
      assert.deepEqual(await store.get('t1', m.id), m);
    });

    it('never returns another tenant’s memory', async () => {
      const m = makeMemory({ tenant: 'other', text: 'secret of the other tenant' });
      await insert(store, [m], new Map(), actor);
      assert.equal(await store.get('t1', m.id), null);
      assert.deepEqual(await store.getMany('t1', [m.id]), []);
      const hits = await searchText(store, { tenant: 't1' }, analyze('secret other tenant'), 10);
      assert.equal(hits.length, 0);
      assert.equal(
        (await store.list('t1', { limit: 1000 })).items.some((x) => x.id === m.id),
        false,
      );
      await assert.rejects(store.erase('t1', { id: m.id }, 'x'), { code: 'NOT_FOUND' });
      assert.ok(await store.get('other', m.id));
    });

    it('ranks full-text matches by BM25 within the scope', async () => {
      const a = makeMemory({ user: 'bm', text: 'Caroline researched adoption agencies for weeks' });
      const b = makeMemory({ user: 'bm', text: 'Melanie painted a sunrise over the lake' });
      const c = makeMemory({ user: 'bm2', text: 'adoption agencies are everywhere' });
      await insert(store, [a, b, c], new Map(), actor);
      const hits = await searchText(store, { tenant: 't1', user: 'bm' }, analyze('adoption agencies'), 10);
      assert.deepEqual(
        hits.map((h) => h.id),
        [a.id],
      );
      assert.ok(hits[0]!.score > 0);
    });

    it('finds vectors of the same model only, best first, within the filter', async () => {
      const x = makeMemory({ user: 'vec', text: 'x' });
      const y = makeMemory({ user: 'vec', text: 'y', session: 's2' });
      const z = makeMemory({ user: 'vec', text: 'z' });
      await insert(
        store,
        [x, y, z],
        new Map([
          [x.id, { model: 'm1', vector: unitVector([1, 0, 0]) }],
          [y.id, { model: 'm1', vector: unitVector([0.9, 0.1, 0]) }],
          [z.id, { model: 'm2', vector: unitVector([1, 0, 0]) }],
        ]),
        actor,
      );
      const q = unitVector([1, 0, 0]);
      const hits = await searchVector(store, { tenant: 't1', user: 'vec' }, 'm1', q, 10);
      assert.deepEqual(
        hits.map((h) => h.id),
        [x.id, y.id],
      );
      assert.ok(Math.abs(hits[0]!.score - 1) < 1e-6);
      const s2 = await searchVector(store, { tenant: 't1', user: 'vec', session: 's2' }, 'm1', q, 10);
      assert.deepEqual(
        s2.map((h) => h.id),
        [y.id],
      );
    });

    it('vector top-k agrees with a brute-force scan', async () => {
      const dims = 8;
      let seed = 7;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31 - 0.5;
      };
      const ms = Array.from({ length: 200 }, (_, i) => makeMemory({ user: 'brute', text: `m${i}` }));
      const vecs = new Map(
        ms.map((m) => [m.id, { model: 'b', vector: unitVector(Array.from({ length: dims }, rand)) }]),
      );
      await insert(store, ms, vecs, actor);
      const q = unitVector(Array.from({ length: dims }, rand));
      const expected = ms
        .map((m) => ({ id: m.id, s: vecs.get(m.id)!.vector.reduce((acc, v, d) => acc + v * q[d]!, 0) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, 15)
        .map((e) => e.id);
      const got = await searchVector(store, { tenant: 't1', user: 'brute' }, 'b', q, 15);
      assert.deepEqual(
        got.map((g) => g.id),
        expected,
      );
    });

    it('leaves out deleted and superseded memories unless asked, and honours asOf', async () => {
      const old = makeMemory({ user: 'life', text: 'lives in Paris', validFrom: '2020-01-01T00:00:00.000Z' });
      const cur = makeMemory({
        user: 'life',
        text: 'lives in Berlin',
        validFrom: '2023-01-01T00:00:00.000Z',
      });
      await insert(store, [old, cur], new Map(), actor);
      await replace(
        store,
        { ...old, validTo: '2023-01-01T00:00:00.000Z', supersededBy: cur.id },
        { action: 'supersede', actor: 'test' },
      );
      const terms = analyze('lives');
      const ids = async (f: ScopeFilter) => (await searchText(store, f, terms, 10)).map((h) => h.id);
      assert.deepEqual(await ids({ tenant: 't1', user: 'life' }), [cur.id]);
      assert.deepEqual(
        new Set(await ids({ tenant: 't1', user: 'life', includeSuperseded: true })),
        new Set([old.id, cur.id]),
      );
      assert.deepEqual(await ids({ tenant: 't1', user: 'life', asOf: '2022-06-01T00:00:00.000Z' }), [old.id]);
      await replace(store, { ...cur, status: 'deleted' }, { action: 'delete', actor: 'test' });
      assert.deepEqual(await ids({ tenant: 't1', user: 'life' }), []);
      const hist = await store.history('t1', old.id);
      assert.deepEqual(
        hist.map((h) => h.action),
        ['add', 'supersede'],
      );
      assert.equal(hist[1]!.before?.validTo, null);
      assert.equal(hist[1]!.after?.supersededBy, cur.id);
    });

    it('replaces the full-text entry when the text changes', async () => {
      const m = makeMemory({ user: 'upd', text: 'my favourite colour is green' });
      await insert(store, [m], new Map(), actor);
      await replace(
        store,
        { ...m, text: 'my favourite colour is purple' },
        { action: 'update', actor: 'test' },
      );
      assert.equal((await searchText(store, { tenant: 't1', user: 'upd' }, analyze('green'), 5)).length, 0);
      assert.equal((await searchText(store, { tenant: 't1', user: 'upd' }, analyze('purple'), 5)).length, 1);
    });

    it('pages through a list without gaps or repeats', async () => {
      const ms = Array.from({ length: 25 }, (_, i) =>
        makeMemory({ user: 'page', text: `note ${i}`, kind: i % 2 ? 'fact' : 'note' }),
      );
      await insert(store, ms, new Map(), actor);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.list('t1', { user: 'page', limit: 10, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((m) => m.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(
        seen,
        ms.map((m) => m.id),
      );
      const facts = await store.list('t1', { user: 'page', kind: 'fact', limit: 100 });
      assert.equal(facts.items.length, 12);
    });

    it('filters a list by time range', async () => {
      const a = makeMemory({ user: 'time', occurredAt: '2023-01-05T00:00:00.000Z' });
      const b = makeMemory({ user: 'time', occurredAt: '2023-02-05T00:00:00.000Z' });
      await insert(store, [a, b], new Map(), actor);
      const page = await store.list('t1', {
        user: 'time',
        occurred: { from: '2023-02-01T00:00:00.000Z', to: '2023-03-01T00:00:00.000Z' },
      });
      assert.deepEqual(
        page.items.map((m) => m.id),
        [b.id],
      );
    });

    it('erases by id and by user, leaving only text-free tombstones in history', async () => {
      const a = makeMemory({ user: 'gone', text: 'zanzibarian secret' });
      const b = makeMemory({ user: 'gone', text: 'another zanzibarian note' });
      const keep = makeMemory({ user: 'stay', text: 'zanzibarian but kept' });
      await insert(store, [a, b, keep], new Map([[a.id, { model: 'e', vector: unitVector([1, 0]) }]]), actor);
      assert.equal(await store.erase('t1', { user: 'gone' }, 'test'), 2);
      assert.equal(await store.get('t1', a.id), null);
      assert.deepEqual(
        (await searchText(store, { tenant: 't1' }, analyze('zanzibarian'), 10)).map((h) => h.id),
        [keep.id],
      );
      assert.deepEqual(
        await searchVector(store, { tenant: 't1', user: 'gone' }, 'e', unitVector([1, 0]), 5),
        [],
      );
      const hist = await store.history('t1', a.id);
      assert.deepEqual(
        hist.map((h) => [h.action, h.before, h.after]),
        [['erase', null, null]],
      );
    });

    it('stores entity mentions with their memory, finds them by key or alias, and drops them on delete and erase', async () => {
      const ana = {
        key: 'person:ana',
        name: 'Ana',
        type: 'person',
        role: 'mentioned',
        alias: 'kin:mo:sister',
      };
      const sister = {
        key: 'kin:mo:sister',
        name: "Mo's sister",
        type: 'person',
        role: 'mentioned',
        alias: null,
      };
      const mo = { key: 'person:mo', name: 'Mo', type: 'person', role: 'subject', alias: null };
      const first = makeMemory({
        user: 'ent',
        text: 'My sister visits soon',
        occurredAt: '2024-01-01T00:00:00.000Z',
      });
      const second = makeMemory({
        user: 'ent',
        text: 'My sister Ana arrived',
        occurredAt: '2024-02-01T00:00:00.000Z',
      });
      const third = makeMemory({
        user: 'ent',
        text: 'Ana found a job',
        occurredAt: '2024-03-01T00:00:00.000Z',
      });
      const other = makeMemory({ tenant: 'other', user: 'ent', text: 'Ana elsewhere' });
      await store.apply({
        tenant: 't1',
        ops: [
          { op: 'insert', memory: first, change: actor, mentions: [mo, sister] },
          { op: 'insert', memory: second, change: actor, mentions: [mo, ana] },
          { op: 'insert', memory: third, change: actor, mentions: [{ ...ana, alias: null }] },
        ],
      });
      await store.apply({
        tenant: 'other',
        ops: [{ op: 'insert', memory: other, change: actor, mentions: [ana] }],
      });
      const all = await store.mentions({ tenant: 't1', user: 'ent' });
      assert.deepEqual(
        all.map((r) => [r.memoryId, r.key]),
        [
          [first.id, 'kin:mo:sister'],
          [first.id, 'person:mo'],
          [second.id, 'person:ana'],
          [second.id, 'person:mo'],
          [third.id, 'person:ana'],
        ].sort((a, b) => (a[0] === b[0] ? (a[1]! < b[1]! ? -1 : 1) : 0)),
      );
      assert.deepEqual(
        all.find((r) => r.memoryId === second.id && r.key === 'person:ana'),
        {
          ...ana,
          memoryId: second.id,
          occurredAt: second.occurredAt,
        },
      );
      // By key or by alias: "kin:mo:sister" finds the unnamed mention and the one that named her.
      const bySister = await store.mentions({ tenant: 't1', user: 'ent', keys: ['kin:mo:sister'] });
      assert.deepEqual(
        bySister.map((r) => r.memoryId),
        [first.id, second.id],
      );
      // A replace with mentions replaces them; without, keeps them.
      await store.apply({
        tenant: 't1',
        ops: [{ op: 'replace', memory: { ...third, text: 'Tom found a job' }, change: actor, mentions: [] }],
      });
      await store.apply({
        tenant: 't1',
        ops: [{ op: 'replace', memory: { ...first, importance: 0.9 }, change: actor }],
      });
      assert.deepEqual(
        (await store.mentions({ tenant: 't1', user: 'ent', keys: ['person:ana'] })).map((r) => r.memoryId),
        [second.id],
      );
      assert.equal((await store.mentions({ tenant: 't1', user: 'ent', keys: ['person:mo'] })).length, 2);
      // Deleted (soft) and erased memories leave no mentions behind.
      await store.apply({
        tenant: 't1',
        ops: [
          {
            op: 'replace',
            memory: { ...second, status: 'deleted' },
            change: { action: 'delete', actor: 'test' },
          },
        ],
      });
      assert.deepEqual(
        (await store.mentions({ tenant: 't1', user: 'ent' })).map((r) => r.memoryId),
        [first.id, first.id],
      );
      await store.apply({
        tenant: 't1',
        ops: [{ op: 'replace', memory: { ...second, status: 'active' }, change: actor }],
      });
      assert.deepEqual(await store.mentions({ tenant: 't1', user: 'ent', keys: ['person:ana'] }), []);
      await store.erase('t1', { id: first.id }, 'test');
      assert.deepEqual(await store.mentions({ tenant: 't1', user: 'ent' }), []);
      await store.erase('other', { user: 'ent' }, 'test');
      assert.deepEqual(await store.mentions({ tenant: 'other', user: 'ent' }), []);
    });

    it('imports mentions with their memories', async () => {
      const m = makeMemory({ user: 'ent-import', text: 'Lisbon in spring' });
      await store.importMemories([m], 'test', [
        [{ key: 'place:lisbon', name: 'Lisbon', type: 'place', role: 'mentioned', alias: null }],
      ]);
      assert.deepEqual(
        (await store.mentions({ tenant: 't1', user: 'ent-import' })).map((r) => r.key),
        ['place:lisbon'],
      );
    });

    it('finds an exact duplicate in the scope', async () => {
      const m = makeMemory({ user: 'dup', kind: 'fact', text: 'Ann is allergic to penicillin' });
      await insert(store, [m], new Map(), actor);
      assert.equal((await store.findExact({ tenant: 't1', user: 'dup', kinds: ['fact'] }, m.text))?.id, m.id);
      assert.equal(await store.findExact({ tenant: 't1', user: 'dup', kinds: ['note'] }, m.text), null);
      assert.equal(await store.findExact({ tenant: 't2', user: 'dup' }, m.text), null);
    });

    it('records recall without a history entry, counting concurrent recalls', async () => {
      const m = makeMemory({ user: 'touch', strength: 0.5 });
      const other = makeMemory({ tenant: 't2', user: 'touch', strength: 0.5 });
      await insert(store, [m, other], new Map(), actor);
      await store.recordAccess('t1', [{ id: m.id, strength: 0.6 }], '2024-05-01T00:00:00.000Z');
      let got = (await store.get('t1', m.id))!;
      assert.equal(got.accessCount, 1);
      assert.equal(got.lastAccessedAt, '2024-05-01T00:00:00.000Z');
      assert.ok(Math.abs(got.strength - 0.6) < 1e-9);
      assert.equal((await store.history('t1', m.id)).length, 1);
      // Two servers recording the same recall at once: both count (the store increments, it is not told).
      await Promise.all([
        store.recordAccess('t1', [{ id: m.id, strength: 0.8 }], '2024-05-02T00:00:00.000Z'),
        store.recordAccess('t1', [{ id: m.id, strength: 0.8 }], '2024-05-02T00:00:00.000Z'),
      ]);
      got = (await store.get('t1', m.id))!;
      assert.equal(got.accessCount, 3);
      assert.ok(Math.abs(got.strength - 0.8) < 1e-9);
      // Tenant-confined: the same id under another tenant is not touched.
      await store.recordAccess('t1', [{ id: other.id, strength: 0.9 }], '2024-05-03T00:00:00.000Z');
      assert.equal((await store.get('t2', other.id))!.accessCount, 0);
    });

    it('applies a change set all or nothing: a failing last op leaves nothing of it', async () => {
      const a = makeMemory({ user: 'uow', text: 'first planned write' });
      const b = makeMemory({ user: 'uow', text: 'second planned write' });
      const kept = makeMemory({ user: 'uow', text: 'stored before' });
      await insert(store, [kept], new Map(), actor);
      await assert.rejects(
        store.apply({
          tenant: 't1',
          ops: [
            { op: 'insert', memory: a, vector: { model: 'u', vector: unitVector([1, 0]) }, change: actor },
            { op: 'insert', memory: b, change: actor },
            {
              op: 'replace',
              memory: { ...kept, text: 'changed' },
              change: { action: 'update', actor: 'test' },
            },
            { op: 'erase', id: 'no-such-memory', actor: 'test' },
          ],
        }),
        { code: 'NOT_FOUND' },
      );
      assert.equal(await store.get('t1', a.id), null);
      assert.equal(await store.get('t1', b.id), null);
      assert.equal((await store.get('t1', kept.id))?.text, 'stored before');
      assert.deepEqual(await store.history('t1', a.id), []);
      assert.equal((await store.history('t1', kept.id)).length, 1);
      assert.equal(
        (await searchText(store, { tenant: 't1', user: 'uow' }, analyze('planned changed'), 10)).length,
        0,
      );
      assert.deepEqual(
        await searchVector(store, { tenant: 't1', user: 'uow' }, 'u', unitVector([1, 0]), 5),
        [],
      );
      // A duplicate id is a conflict, and also leaves nothing.
      await assert.rejects(
        store.apply({
          tenant: 't1',
          ops: [
            { op: 'insert', memory: a, change: actor },
            { op: 'insert', memory: kept, change: actor },
          ],
        }),
        { code: 'CONFLICT' },
      );
      assert.equal(await store.get('t1', a.id), null);
    });

    it('applies ops in order: insert, then replace and erase within one change set', async () => {
      const a = makeMemory({ user: 'order', kind: 'turn', text: 'the walrus sang loudly' });
      const b = makeMemory({ user: 'order', kind: 'turn', text: 'a quiet reply' });
      const c = makeMemory({ user: 'order', text: 'to be erased soon' });
      await insert(store, [c], new Map(), actor);
      await store.apply({
        tenant: 't1',
        ops: [
          { op: 'insert', memory: a, change: actor },
          { op: 'insert', memory: b, change: actor },
          {
            op: 'replace',
            memory: { ...a, validTo: '2024-02-01T00:00:00.000Z', supersededBy: b.id },
            change: { action: 'supersede', actor: 'test' },
          },
          { op: 'erase', id: c.id, actor: 'test' },
        ],
      });
      assert.equal((await store.get('t1', a.id))?.supersededBy, b.id);
      assert.deepEqual(
        (await store.history('t1', a.id)).map((h) => h.action),
        ['add', 'supersede'],
      );
      assert.equal(await store.get('t1', c.id), null);
      // The superseded turn is out of the index, and out of its neighbour's context too.
      const hits = await searchText(store, { tenant: 't1', user: 'order' }, analyze('walrus'), 5);
      assert.deepEqual(hits, []);
      await assert.rejects(
        store.apply({ tenant: 'other', ops: [{ op: 'insert', memory: makeMemory(), change: actor }] }),
        { code: 'INVALID_INPUT' },
      );
    });

    it('indexes a turn with its neighbours as context, weighted by the caller', async () => {
      const q = makeMemory({
        user: 'ctx',
        kind: 'turn',
        session: 'c1',
        speaker: 'Ann',
        text: 'where did you travel',
      });
      const r = makeMemory({
        user: 'ctx',
        kind: 'turn',
        session: 'c1',
        speaker: 'Bo',
        text: 'to the fjords of norway',
      });
      const other = makeMemory({ user: 'ctx', kind: 'turn', session: 'c2', text: 'nothing related' });
      await insert(store, [q, r, other], new Map(), actor);
      const f = { tenant: 't1', user: 'ctx' };
      // "travel" is in q's own text and in r's context (its neighbour); "ann" only in q's context (speaker).
      const withContext = await searchText(store, f, analyze('travel'), 5, { contextWeight: 1 });
      assert.deepEqual(new Set(withContext.map((h) => h.id)), new Set([q.id, r.id]));
      assert.equal(withContext[0]!.id, q.id);
      const ownOnly = await searchText(store, f, analyze('travel'), 5, { contextWeight: 0 });
      // Weight 0: a context-only match scores 0 (a backend may list it or leave it out).
      assert.equal(ownOnly[0]!.id, q.id);
      assert.ok(ownOnly.slice(1).every((h) => Math.abs(h.score) < 1e-9));
      assert.deepEqual(
        (await searchText(store, f, analyze('Ann'), 5, { contextWeight: 1 })).map((h) => h.id),
        [q.id],
      );
    });

    it('answers every list of a search in one call', async () => {
      const a = makeMemory({
        user: 'multi',
        text: 'penguins waddle on ice',
        occurredAt: '2023-05-01T00:00:00.000Z',
      });
      const b = makeMemory({
        user: 'multi',
        text: 'penguins swim fast',
        occurredAt: '2023-07-01T00:00:00.000Z',
      });
      await insert(
        store,
        [a, b],
        new Map([
          [a.id, { model: 'mm', vector: unitVector([1, 0]) }],
          [b.id, { model: 'mm', vector: unitVector([0, 1]) }],
        ]),
        actor,
      );
      const filter = { tenant: 't1', user: 'multi' };
      const terms = analyze('penguins');
      const { lists } = await store.search({
        text: [
          { name: 'all', filter, terms, contextWeight: 0.5, limit: 10 },
          {
            name: 'may',
            filter: {
              ...filter,
              occurredFrom: '2023-05-01T00:00:00.000Z',
              occurredTo: '2023-06-01T00:00:00.000Z',
            },
            terms,
            contextWeight: 0.5,
            limit: 10,
          },
          { name: 'none', filter, terms: analyze('zzzqqq'), contextWeight: 0.5, limit: 10 },
        ],
        vector: [{ name: 'vec', filter, model: 'mm', vector: unitVector([0, 1]), limit: 1 }],
      });
      assert.deepEqual(Object.keys(lists).sort(), ['all', 'may', 'none', 'vec']);
      assert.deepEqual(new Set(lists.all!.map((h) => h.id)), new Set([a.id, b.id]));
      assert.deepEqual(
        lists.may!.map((h) => h.id),
        [a.id],
      );
      assert.deepEqual(lists.none, []);
      assert.deepEqual(
        lists.vec!.map((h) => h.id),
        [b.id],
      );
    });

    it('keeps event times with the memory: found by overlap, recomputed on update, gone on delete and erase', async () => {
      const said = '2023-09-14T10:00:00.000Z'; // a Thursday
      const swim = makeMemory({
        user: 'ev',
        text: 'Last Sunday I swam across the lake for charity',
        occurredAt: said,
      });
      const shed = makeMemory({
        user: 'ev',
        text: 'In August I repainted the garden shed',
        occurredAt: said,
      });
      const plain = makeMemory({ user: 'ev', text: 'We baked bread together', occurredAt: said });
      const elsewhere = makeMemory({ user: 'ev2', text: 'Last Sunday I swam too', occurredAt: said });
      const otherTenant = makeMemory({
        tenant: 'other',
        user: 'ev',
        text: 'Last Sunday I ran',
        occurredAt: said,
      });
      await insert(store, [swim, shed, plain, elsewhere, otherTenant], new Map(), actor);
      const filter = { tenant: 't1', user: 'ev' };
      const find = async (from: string, to: string, f: ScopeFilter = filter) =>
        (await store.search({ text: [], vector: [], event: [{ name: 'e', filter: f, from, to, limit: 10 }] }))
          .lists.e!;
      // The Sunday itself: only the swim (a day inside the day: share 1).
      assert.deepEqual(await find('2023-09-10T00:00:00Z', '2023-09-11T00:00:00Z'), [
        { id: swim.id, score: 1 },
      ]);
      // August and September: both, each wholly inside; the narrower event first.
      assert.deepEqual(
        (await find('2023-08-01T00:00:00Z', '2023-10-01T00:00:00Z')).map((h) => [h.id, h.score]),
        [
          [swim.id, 1],
          [shed.id, 1],
        ],
      );
      // One day of August holds a 31st of the month the shed was painted in.
      const day = await find('2023-08-15T09:00:00Z', '2023-08-15T18:00:00Z');
      assert.deepEqual(
        day.map((h) => h.id),
        [shed.id],
      );
      assert.ok(Math.abs(day[0]!.score - 1 / 31) < 1e-9);
      // Said time is not event time: nothing happened on the day these were said.
      assert.deepEqual(await find('2023-09-14T00:00:00Z', '2023-09-15T00:00:00Z'), []);
      // An update recomputes them from the new text.
      await replace(
        store,
        { ...shed, text: 'Yesterday I repainted the garden shed', updatedAt: said },
        {
          action: 'update',
          actor: 'test',
        },
      );
      assert.deepEqual(await find('2023-08-01T00:00:00Z', '2023-09-01T00:00:00Z'), []);
      assert.deepEqual(
        (await find('2023-09-13T00:00:00Z', '2023-09-14T00:00:00Z')).map((h) => h.id),
        [shed.id],
      );
      // So does a new said time.
      await replace(
        store,
        { ...swim, occurredAt: '2023-09-21T10:00:00.000Z', updatedAt: said },
        {
          action: 'update',
          actor: 'test',
        },
      );
      assert.deepEqual(
        (await find('2023-09-17T00:00:00Z', '2023-09-18T00:00:00Z')).map((h) => h.id),
        [swim.id],
      );
      // Deleted: gone, even for a search that asks for deleted memories.
      await replace(
        store,
        { ...shed, text: 'Yesterday I repainted the garden shed', status: 'deleted', updatedAt: said },
        {
          action: 'delete',
          actor: 'test',
        },
      );
      const any: ScopeFilter = {
        ...filter,
        statuses: ['active', 'archived', 'deleted'],
        includeSuperseded: true,
      };
      assert.deepEqual(await find('2023-09-13T00:00:00Z', '2023-09-14T00:00:00Z', any), []);
      // Erased: nothing of the user is found by any range, and other scopes keep theirs.
      assert.equal(await store.erase('t1', { user: 'ev' }, 'test'), 3);
      assert.deepEqual(await find('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z', any), []);
      assert.deepEqual(
        (await find('2023-09-10T00:00:00Z', '2023-09-11T00:00:00Z', { tenant: 't1', user: 'ev2' })).map(
          (h) => h.id,
        ),
        [elsewhere.id],
      );
      assert.deepEqual(
        (await find('2023-09-10T00:00:00Z', '2023-09-11T00:00:00Z', { tenant: 'other', user: 'ev' })).map(
          (h) => h.id,
        ),
        [otherTenant.id],
      );
    });

    it('imports event times with their memories', async () => {
      const m = makeMemory({
        user: 'evimp',
        text: 'The kiln broke two weeks ago',
        occurredAt: '2023-09-14T10:00:00.000Z',
      });
      await store.importMemories([m], 'test');
      const { lists } = await store.search({
        text: [],
        vector: [],
        event: [
          {
            name: 'e',
            filter: { tenant: 't1', user: 'evimp' },
            from: '2023-08-30T00:00:00Z',
            to: '2023-08-31T00:00:00Z',
            limit: 5,
          },
        ],
      });
      assert.deepEqual(
        lists.e!.map((h) => h.id),
        [m.id],
      );
    });

    it('imports all or nothing', async () => {
      const a = makeMemory({ user: 'imp' });
      await store.importMemories([a], 'test');
      const b = makeMemory({ user: 'imp' });
      await assert.rejects(store.importMemories([b, a], 'test'), { code: 'CONFLICT' });
      assert.equal(await store.get('t1', b.id), null);
    });

    it('reports missing vectors and stores new ones', async () => {
      const m = makeMemory({ tenant: 'vt', user: 'rv' });
      await insert(store, [m], new Map(), actor);
      const missing = await store.missingVectors('vt', 'mX', 10);
      assert.deepEqual(
        missing.map((x) => x.id),
        [m.id],
      );
      await store.putVectors('vt', 'mX', [{ id: m.id, vector: unitVector([0, 1]) }]);
      assert.deepEqual(await store.missingVectors('vt', 'mX', 10), []);
      assert.equal((await store.get('vt', m.id))?.embeddingModel, 'mX');
      const stats = await store.stats('vt');
      assert.equal(stats.memories, 1);
      assert.deepEqual(stats.vectors, { mX: 1 });
    });
  });
}
