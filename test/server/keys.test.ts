import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStore } from '../../src/memory/open.js';
import { openKeyStore } from '../../src/server/key-store.js';
import { hashSecret, type KeyStore, roleAllows } from '../../src/server/keys.js';
import { parsePostgresUrl } from '../../src/store/postgres/url.js';
import { freshPostgresUrl } from '../helpers/backend.js';
import { tempDir } from './helpers.js';

interface KeyBackend {
  name: string;
  /** A database location the engine has created. */
  location(): Promise<string>;
  /** Every stored key row as JSON, read past the key store. */
  dump(location: string): Promise<string>;
  cleanup(): void;
}

const dir = tempDir('engram-keys-');

const BACKENDS: KeyBackend[] = [
  {
    name: 'SQLite',
    async location() {
      const path = join(dir, 'keys.db');
      await (await openStore(path)).close();
      return path;
    },
    async dump(path) {
      const raw = new Database(path, { readonly: true });
      try {
        return JSON.stringify(raw.prepare('SELECT * FROM api_keys').all());
      } finally {
        raw.close();
      }
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  },
  {
    name: 'PostgreSQL',
    async location() {
      const url = freshPostgresUrl('keys');
      await (await openStore(url)).close();
      return url;
    },
    async dump(url) {
      const where = parsePostgresUrl(url);
      const client = new pg.Client({ connectionString: where.connectionString });
      await client.connect();
      try {
        return JSON.stringify((await client.query(`SELECT * FROM ${where.schema}.api_keys`)).rows);
      } finally {
        await client.end();
      }
    },
    cleanup: () => {},
  },
];

for (const backend of BACKENDS) {
  describe(`API key store: ${backend.name}`, () => {
    let location: string;
    let store: KeyStore;
    let clock = new Date('2025-01-01T00:00:00Z');
    before(async () => {
      location = await backend.location();
      store = await openKeyStore(location, { now: () => clock });
    });
    after(async () => {
      await store.close();
      backend.cleanup();
    });

    test('create returns the secret once; only its hash and a short prefix are stored', async () => {
      const { key, secret } = await store.create({ tenant: 'acme', role: 'write', name: ' ci ' });
      assert.match(secret, /^egk_[A-Za-z0-9_-]{43}$/);
      assert.equal(key.prefix, secret.slice(0, 12));
      assert.equal(key.name, 'ci');
      assert.equal(key.tenant, 'acme');
      assert.equal(key.role, 'write');
      const dump = await backend.dump(location);
      assert.ok(!dump.includes(secret), 'the secret is not in the table');
      assert.ok(dump.includes(hashSecret(secret)));
    });

    test('verify resolves a secret to its key, and nothing else', async () => {
      const { key, secret } = await store.create({ tenant: 't2', role: 'read' });
      assert.deepEqual((await store.verify(secret))?.id, key.id);
      assert.equal(await store.verify(`${secret}x`), null);
      assert.equal(await store.verify(secret.slice(0, -1)), null);
      assert.equal(await store.verify(''), null);
      assert.equal(await store.verify(key.prefix), null);
    });

    test('a key created through one connection verifies through another', async () => {
      const { key, secret } = await store.create({ tenant: 't2b', role: 'read' });
      const other = await openKeyStore(location);
      try {
        assert.equal((await other.verify(secret))?.id, key.id);
        await other.revoke(key.id);
        assert.equal(await store.verify(secret), null);
      } finally {
        await other.close();
      }
    });

    test('last use is recorded, at most once a minute', async () => {
      const { key, secret } = await store.create({ tenant: 't3', role: 'read' });
      const lastUsed = async () => (await store.list()).find((k) => k.id === key.id)?.lastUsedAt;
      await store.verify(secret);
      const first = await lastUsed();
      assert.equal(first, clock.toISOString());
      clock = new Date(clock.getTime() + 10_000);
      await store.verify(secret);
      assert.equal(await lastUsed(), first);
      clock = new Date(clock.getTime() + 60_000);
      await store.verify(secret);
      assert.equal(await lastUsed(), clock.toISOString());
    });

    test('revoke by id or prefix; revoked keys stop verifying and leave the default list', async () => {
      const a = await store.create({ tenant: 't4', role: 'admin' });
      const b = await store.create({ tenant: 't4', role: 'admin' });
      const active = await store.countActive();
      assert.equal((await store.revoke(a.key.id)).id, a.key.id);
      assert.equal((await store.revoke(b.key.prefix)).id, b.key.id);
      assert.equal(await store.verify(a.secret), null);
      assert.equal(await store.verify(b.secret), null);
      assert.equal(await store.countActive(), active - 2);
      assert.ok(!(await store.list()).some((k) => k.id === a.key.id));
      const all = (await store.list({ includeRevoked: true })).find((k) => k.id === a.key.id);
      assert.equal(typeof all?.revokedAt, 'string');
      // Revoking twice keeps the first revocation time.
      assert.equal((await store.revoke(a.key.id)).revokedAt, all?.revokedAt);
    });

    test('bad input is refused with codes and messages', async () => {
      await assert.rejects(store.create({ tenant: '', role: 'read' }), { code: 'INVALID_INPUT' });
      await assert.rejects(store.create({ tenant: 'has space', role: 'read' }), /Invalid tenant/);
      await assert.rejects(
        store.create({ tenant: 'ok', role: 'owner' as 'read' }),
        /use one of read, write, admin/,
      );
      await assert.rejects(store.revoke('nope'), { code: 'NOT_FOUND' });
    });
  });
}

test('roles nest: admin ⊇ write ⊇ read', () => {
  assert.equal(roleAllows('admin', 'write'), true);
  assert.equal(roleAllows('write', 'read'), true);
  assert.equal(roleAllows('read', 'write'), false);
  assert.equal(roleAllows('write', 'admin'), false);
});
