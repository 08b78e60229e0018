import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Memory } from '../../src/core/types.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/types.js';
import { analyzeQuery } from '../../src/text/analyzer.js';
import { freshPostgresUrl } from '../helpers/backend.js';
import { makeMemory } from '../helpers/memory-factory.js';
import { testIndexer } from '../helpers/store-ops.js';

const SESSIONS = [
  [
    'I finally adopted a grey kitten from the shelter on Elm Street',
    'What did you name the kitten?',
    'Pepper, because of the little black spots on her nose',
  ],
  [
    'My sister is training for the Lisbon marathon in October',
    'Is it her first marathon?',
    'Her second; the first one was in Porto, she ran it in four hours',
  ],
  [
    'We repainted the kitchen a pale yellow last weekend',
    'Did Pepper get paint on her paws?',
    'Twice, and she walked it across the hallway',
  ],
  [
    'The bakery near the station closed, so I bake sourdough myself now',
    'How is the sourdough going?',
    'The third loaf was finally edible, the first two were bricks',
  ],
];

/** The same writes on both backends: turn by turn in sessions, then an edit and a deletion. */
async function fill(store: Store): Promise<Memory[]> {
  const all: Memory[] = [];
  for (const [i, lines] of SESSIONS.entries()) {
    const turns = lines.map((text, j) =>
      makeMemory({ kind: 'turn', session: `s${i}`, speaker: j % 2 ? 'Sam' : 'Robin', text }),
    );
    await store.apply({
      tenant: 't1',
      ops: turns.map((memory) => ({ op: 'insert', memory, change: { action: 'add', actor: 't' } })),
    });
    all.push(...turns);
  }
  const edited = {
    ...all[4]!,
    text: 'Her second; the first one was in Braga',
    updatedAt: '2024-02-01T00:00:00.000Z',
  };
  await store.apply({
    tenant: 't1',
    ops: [{ op: 'replace', memory: edited, change: { action: 'update', actor: 't' } }],
  });
  await store.apply({
    tenant: 't1',
    ops: [
      { op: 'replace', memory: { ...all[7]!, status: 'deleted' }, change: { action: 'delete', actor: 't' } },
    ],
  });
  return all;
}

test('PostgreSQL scores BM25 exactly as SQLite FTS5 does, statistics included', async () => {
  const indexer = testIndexer();
  const sqlite = SqliteStore.open(':memory:', { indexer });
  const pg = await PostgresStore.open(freshPostgresUrl('parity'), { indexer });
  try {
    // The same ids on both sides, so the lists compare directly.
    const memories = await fill(sqlite);
    const byText = new Map(memories.map((m) => [m.text, m]));
    for (const lines of SESSIONS) {
      const ops = lines.map((text) => ({
        op: 'insert' as const,
        memory: byText.get(text)!,
        change: { action: 'add' as const, actor: 't' },
      }));
      await pg.apply({ tenant: 't1', ops });
    }
    const edited = {
      ...memories[4]!,
      text: 'Her second; the first one was in Braga',
      updatedAt: '2024-02-01T00:00:00.000Z',
    };
    await pg.apply({
      tenant: 't1',
      ops: [{ op: 'replace', memory: edited, change: { action: 'update', actor: 't' } }],
    });
    await pg.apply({
      tenant: 't1',
      ops: [
        {
          op: 'replace',
          memory: { ...memories[7]!, status: 'deleted' },
          change: { action: 'delete', actor: 't' },
        },
      ],
    });

    for (const question of [
      'what is the kitten called',
      'where did the sister run her first marathon',
      'who bakes bread',
      'Pepper walked paint across the hallway',
      'Robin',
    ]) {
      for (const contextWeight of [0, 0.25, 1]) {
        const request = {
          text: [
            {
              name: 't',
              filter: { tenant: 't1', user: 'u1' },
              terms: analyzeQuery(question),
              contextWeight,
              limit: 10,
            },
          ],
          vector: [],
        };
        const a = (await sqlite.search(request)).lists.t!;
        const b = (await pg.search(request)).lists.t!;
        assert.ok(a.length > 0, question);
        assert.deepEqual(
          b.map((h) => h.id),
          a.map((h) => h.id),
          `${question} (w=${contextWeight})`,
        );
        for (const [k, h] of a.entries())
          assert.ok(Math.abs(h.score - b[k]!.score) < 1e-9, `${question}: ${h.score} vs ${b[k]!.score}`);
      }
    }
  } finally {
    await sqlite.close();
    await pg.close();
  }
});
