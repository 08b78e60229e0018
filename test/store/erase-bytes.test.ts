import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { open } from '../../src/index.js';
import { engram, tempDir } from '../helpers/cli.js';
import { fakeEmbedder } from '../helpers/fake-embedder.js';

/** Every byte Engram keeps on disk for this database. */
function fileBytes(db: string): Buffer {
  const parts = [db, `${db}-wal`, `${db}-shm`].filter(existsSync).map((p) => readFileSync(p));
  return Buffer.concat(parts);
}

const DISTINCTIVE = 'quokkaberry';
const U_TEXTS = [
  `I grow ${DISTINCTIVE} bushes behind the greenhouse`,
  'My sister Philippa moved to Reykjavik last winter',
  'Allergic to sulfonamide antibiotics, confirmed by Dr Okonkwo',
];

describe('erase really erases', () => {
  it('leaves neither the user’s texts nor their distinctive words anywhere in the file or WAL', async () => {
    const db = join(tempDir('engram-erase-'), 'e.db');
    const e = await open({ path: db, embedder: fakeEmbedder() });
    const ids = [];
    for (const text of U_TEXTS) ids.push((await e.add({ user: 'victim', text, kind: 'note' })).id);
    // History before/after copies, soft deletes and superseded versions must go too.
    await e.update(ids[0]!, { text: `Still growing ${DISTINCTIVE} plants, now in pots` });
    await e.delete(ids[1]!);
    for (let i = 0; i < 200; i++)
      await e.add({ user: 'bystander', text: `bystander note number ${i} about tomatoes` });
    await e.search(DISTINCTIVE, { user: 'victim' });
    await e.close();

    assert.ok(fileBytes(db).includes(DISTINCTIVE), 'precondition: the word is on disk before erasure');

    const r = engram(['--db', db, '--json', 'erase', '--user', 'victim']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).erased, 3);

    const bytes = fileBytes(db);
    for (const needle of [
      DISTINCTIVE,
      'quokkaberri',
      'Reykjavik',
      'reykjavik',
      'sulfonamide',
      'Okonkwo',
      'okonkwo',
      'Philippa',
    ]) {
      assert.equal(bytes.includes(needle), false, `"${needle}" is still in the database files`);
    }
    for (const t of U_TEXTS) assert.equal(bytes.includes(t), false);
    assert.ok(bytes.includes('bystander note number 7 about tomatoes'), 'other users are untouched');

    const again = await open({ path: db, embedder: 'none' });
    assert.equal((await again.search('tomatoes', { user: 'bystander', k: 3 })).length, 3);
    const hist = await again.history(ids[0]!);
    assert.deepEqual(
      hist.map((h) => [h.action, h.before, h.after]),
      [['erase', null, null]],
    );
    await again.close();
  });
});
