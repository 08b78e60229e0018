import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { hashSecret, roleAllows, SqliteKeyStore } from '../../src/server/keys.js';
import { tempDir } from './helpers.js';

describe('SqliteKeyStore', () => {
  const dir = tempDir('engram-keys-');
  const path = join(dir, 'keys.db');
  let store: SqliteKeyStore;
  let clock = new Date('2025-01-01T00:00:00Z');
  before(() => {
    store = new SqliteKeyStore(path, { now: () => clock });
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('create returns the secret once; only its hash and a short prefix are stored', () => {
    const { key, secret } = store.create({ tenant: 'acme', role: 'write', name: ' ci ' });
    assert.match(secret, /^egk_[A-Za-z0-9_-]{43}$/);
    assert.equal(key.prefix, secret.slice(0, 12));
    assert.equal(key.name, 'ci');
    assert.equal(key.tenant, 'acme');
    assert.equal(key.role, 'write');
    const raw = new Database(path, { readonly: true });
    try {
      const dump = JSON.stringify(raw.prepare('SELECT * FROM api_keys').all());
      assert.ok(!dump.includes(secret), 'the secret is not in the table');
      assert.ok(dump.includes(hashSecret(secret)));
    } finally {
      raw.close();
    }
  });

  test('verify resolves a secret to its key, and nothing else', () => {
    const { key, secret } = store.create({ tenant: 't2', role: 'read' });
    assert.deepEqual(store.verify(secret)?.id, key.id);
    assert.equal(store.verify(`${secret}x`), null);
    assert.equal(store.verify(secret.slice(0, -1)), null);
    assert.equal(store.verify(''), null);
    assert.equal(store.verify(key.prefix), null);
  });

  test('last use is recorded, at most once a minute', () => {
    const { key, secret } = store.create({ tenant: 't3', role: 'read' });
    store.verify(secret);
    const first = store.list().find((k) => k.id === key.id)?.lastUsedAt;
    assert.equal(first, clock.toISOString());
    clock = new Date(clock.getTime() + 10_000);
    store.verify(secret);
    assert.equal(store.list().find((k) => k.id === key.id)?.lastUsedAt, first);
    clock = new Date(clock.getTime() + 60_000);
    store.verify(secret);
    assert.equal(store.list().find((k) => k.id === key.id)?.lastUsedAt, clock.toISOString());
  });

  test('revoke by id or prefix; revoked keys stop verifying and leave the default list', () => {
    const a = store.create({ tenant: 't4', role: 'admin' });
    const b = store.create({ tenant: 't4', role: 'admin' });
    const active = store.countActive();
    assert.equal(store.revoke(a.key.id).id, a.key.id);
    assert.equal(store.revoke(b.key.prefix).id, b.key.id);
    assert.equal(store.verify(a.secret), null);
    assert.equal(store.verify(b.secret), null);
    assert.equal(store.countActive(), active - 2);
    assert.ok(!store.list().some((k) => k.id === a.key.id));
    const all = store.list({ includeRevoked: true }).find((k) => k.id === a.key.id);
    assert.equal(typeof all?.revokedAt, 'string');
    // Revoking twice keeps the first revocation time.
    assert.equal(store.revoke(a.key.id).revokedAt, all?.revokedAt);
  });

  test('bad input is refused with codes and messages', () => {
    assert.throws(() => store.create({ tenant: '', role: 'read' }), { code: 'INVALID_INPUT' });
    assert.throws(() => store.create({ tenant: 'has space', role: 'read' }), /Invalid tenant/);
    assert.throws(
      () => store.create({ tenant: 'ok', role: 'owner' as 'read' }),
      /use one of read, write, admin/,
    );
    assert.throws(() => store.revoke('nope'), { code: 'NOT_FOUND' });
  });

  test('roles nest: admin ⊇ write ⊇ read', () => {
    assert.equal(roleAllows('admin', 'write'), true);
    assert.equal(roleAllows('write', 'read'), true);
    assert.equal(roleAllows('read', 'write'), false);
    assert.equal(roleAllows('write', 'admin'), false);
  });
});
