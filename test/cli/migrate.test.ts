import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { open } from '../../src/index.js';
import { openKeyStore } from '../../src/server/key-store.js';
import { freshPostgresUrl } from '../helpers/backend.js';
import { engram, engramJson, tempDir } from '../helpers/cli.js';
import { fakeEmbedder } from '../helpers/fake-embedder.js';

const dir = tempDir('engram-migrate-');
after(() => rmSync(dir, { recursive: true, force: true }));

interface Migrated {
  migrated: {
    memories: number;
    vectors: number;
    history: number;
    mentions: number;
    eventTimes: number;
    keys: number;
  };
}

/** A store with every kind of row: turns with neighbours, facts, an edit, a deletion, an erasure, vectors, keys. */
async function fill(path: string): Promise<void> {
  const e = await open({ path, embedder: fakeEmbedder(), now: () => new Date('2024-06-01T00:00:00Z') });
  try {
    await e.addConversation({
      user: 'maya',
      session: '2024-05-01',
      messages: [
        {
          speaker: 'Maya',
          role: 'user',
          text: 'I moved to Lisbon with my dog last May.',
          at: '2024-05-01T10:00:00Z',
        },
        {
          speaker: 'Assistant',
          role: 'assistant',
          text: 'How does the dog like the city?',
          at: '2024-05-01T10:00:05Z',
        },
        {
          speaker: 'Maya',
          role: 'user',
          text: 'He loves the food markets, and so do I.',
          at: '2024-05-01T10:01:00Z',
        },
      ],
    });
    const note = await e.add({
      user: 'maya',
      text: 'Maya drives a red car',
      kind: 'fact',
      metadata: { b: 1, a: [2, 3] },
    });
    await e.update(note.id, { text: 'Maya drives a blue car' });
    const gone = await e.add({ user: 'maya', text: 'a note to delete' });
    await e.delete(gone.id);
    const erased = await e.add({ user: 'ann', text: 'Ann asked to be forgotten' });
    await e.erase({ id: erased.id });
    await e.withContext({ tenant: 'acme' }).add({ user: 'zed', text: 'another tenant entirely' });
  } finally {
    await e.close();
  }
  const keys = await openKeyStore(path);
  try {
    await keys.create({ tenant: 'acme', role: 'write', name: 'ci' });
    await keys.revoke((await keys.create({ tenant: 'acme', role: 'read' })).key.id);
  } finally {
    await keys.close();
  }
}

function exported(db: string): string {
  const r = engram(['--db', db, 'export']);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('engram migrate SQLite -> PostgreSQL -> SQLite: every row moves, export is identical', async () => {
  const source = join(dir, 'source.db');
  await fill(source);
  const pg = freshPostgresUrl('migrate');
  const back = join(dir, 'back.db');

  const there = engramJson<Migrated>(['migrate', '--from', source, '--to', pg]);
  assert.ok(there.migrated.memories >= 7);
  assert.ok(there.migrated.vectors >= 5);
  assert.ok(there.migrated.history > there.migrated.memories);
  assert.equal(there.migrated.keys, 2);
  assert.ok(there.migrated.mentions >= 2, 'Maya, Lisbon and the dog are mentioned');
  assert.ok(there.migrated.eventTimes >= 1, '"last May" is an event time');
  const again = engramJson<Migrated>(['migrate', '--from', pg, '--to', back]);
  assert.deepEqual(again.migrated, there.migrated);

  const original = exported(source);
  assert.ok(original.includes('Maya drives a blue car'));
  assert.equal(exported(pg), original);
  assert.equal(exported(back), original);

  // Entities come along: the same people, places and pets with the same mentions.
  const entities = (db: string) => engram(['--db', db, '--json', 'entities', '--user', 'maya']).stdout;
  assert.equal(entities(pg), entities(source));
  assert.equal(entities(back), entities(source));
  assert.ok((JSON.parse(entities(source)) as unknown[]).length > 0);

  // History, search and keys work on the copies.
  for (const db of [pg, back]) {
    const { hits } = engramJson<{ hits: { text: string }[] }>([
      '--db',
      db,
      'search',
      '--user',
      'maya',
      'which colour is the car',
    ]);
    assert.equal(hits[0]?.text, 'Maya drives a blue car');
    const keys = await openKeyStore(db);
    try {
      assert.equal((await keys.list({ includeRevoked: true })).length, 2);
      assert.equal(await keys.countActive(), 1);
    } finally {
      await keys.close();
    }
  }
  const id = engramJson<{ hits: { id: string }[] }>(['--db', back, 'search', '--user', 'maya', 'blue car'])
    .hits[0]!.id;
  const history = engramJson<{ history: { action: string }[] }>(['--db', back, 'history', id]).history;
  assert.deepEqual(
    history.map((h) => h.action),
    ['add', 'update'],
  );
});

test('engram migrate refuses a destination that is not empty, and changes nothing', async () => {
  const source = join(dir, 'small.db');
  const e = await open({ path: source, embedder: 'none' });
  await e.add({ user: 'u', text: 'one memory' });
  await e.close();
  const r = engram(['migrate', '--from', source, '--to', source]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /empty database/);
  assert.equal(exported(source).split('\n').filter(Boolean).length, 1);
});
