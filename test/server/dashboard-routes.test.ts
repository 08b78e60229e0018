/** The REST routes the dashboard needs: users and sessions summaries, API keys per tenant, the page itself. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { DASHBOARD_CSP, mountDashboard } from '../../src/server/dashboard/static.js';
import { api, startTestServer, type TestServer } from './helpers.js';

describe('users, sessions and keys over REST', () => {
  let s: TestServer;
  let acme: string;
  let acmeRead: string;
  let acmeWrite: string;
  let globex: string;
  before(async () => {
    s = await startTestServer({ auth: 'keys' });
    acme = await s.key('acme', 'admin');
    acmeRead = await s.key('acme', 'read');
    acmeWrite = await s.key('acme', 'write');
    globex = await s.key('globex', 'admin');
    const add = (key: string, body: unknown) => api(s.url, 'POST', '/v1/memories', { key, body });
    await add(acme, {
      user: 'ana',
      kind: 'note',
      text: 'Ana likes tea.',
      occurredAt: '2024-01-02T10:00:00Z',
    });
    await add(acme, {
      user: 'ana',
      kind: 'turn',
      session: 's1',
      text: 'I drink tea daily.',
      occurredAt: '2024-01-05T10:00:00Z',
    });
    await add(acme, {
      user: 'ana',
      kind: 'turn',
      session: 's2',
      text: 'Coffee today.',
      occurredAt: '2024-03-01T09:00:00Z',
    });
    await add(acme, {
      user: 'ana',
      kind: 'fact',
      session: 's2',
      text: 'Ana went hiking.',
      occurredAt: '2023-12-24T00:00:00Z',
    });
    await add(acme, { user: 'bob', kind: 'note', text: 'Bob is new.', occurredAt: '2024-02-01T00:00:00Z' });
    const gone = await add(acme, {
      user: 'bob',
      kind: 'note',
      text: 'Deleted later.',
      occurredAt: '2024-02-02T00:00:00Z',
    });
    await api(s.url, 'DELETE', `/v1/memories/${gone.json.id}`, { key: acme });
    await add(globex, {
      user: 'zed',
      kind: 'note',
      text: 'Another tenant.',
      occurredAt: '2024-05-01T00:00:00Z',
    });
  });
  after(async () => {
    await s.stop();
  });

  test('GET /v1/users: counts by kind, sessions and activity per user, newest activity first', async () => {
    const r = await api(s.url, 'GET', '/v1/users', { key: acmeRead });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.users, [
      {
        user: 'ana',
        memories: 4,
        byKind: { note: 1, turn: 2, fact: 1 },
        superseded: 0,
        sessions: 2,
        firstActivity: '2023-12-24T00:00:00.000Z',
        lastActivity: '2024-03-01T09:00:00.000Z',
        lastChange: r.json.users[0].lastChange,
      },
      {
        user: 'bob',
        memories: 1,
        byKind: { note: 1 },
        superseded: 0,
        sessions: 0,
        firstActivity: '2024-02-01T00:00:00.000Z',
        lastActivity: '2024-02-01T00:00:00.000Z',
        lastChange: r.json.users[1].lastChange,
      },
    ]);
    assert.equal(r.json.scanned, 5);
    const filtered = await api(s.url, 'GET', '/v1/users?q=BO', { key: acmeRead });
    assert.deepEqual(
      filtered.json.users.map((u: { user: string }) => u.user),
      ['bob'],
    );
    // The other tenant sees only its own.
    const other = await api(s.url, 'GET', '/v1/users', { key: globex });
    assert.deepEqual(
      other.json.users.map((u: { user: string }) => u.user),
      ['zed'],
    );
    assert.equal((await api(s.url, 'GET', '/v1/users')).status, 401);
    assert.equal((await api(s.url, 'GET', '/v1/users?tenant=globex', { key: acmeRead })).status, 400);
  });

  test('GET /v1/users/:user/sessions: newest first, dated by their turns; none for an unknown user', async () => {
    const r = await api(s.url, 'GET', '/v1/users/ana/sessions', { key: acmeRead });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {
      user: 'ana',
      sessions: [
        // The fact is about an earlier event, but the session is when its turn was said.
        {
          session: 's2',
          byKind: { turn: 1, fact: 1 },
          memories: 2,
          from: '2024-03-01T09:00:00.000Z',
          to: '2024-03-01T09:00:00.000Z',
        },
        {
          session: 's1',
          byKind: { turn: 1 },
          memories: 1,
          from: '2024-01-05T10:00:00.000Z',
          to: '2024-01-05T10:00:00.000Z',
        },
        {
          session: null,
          byKind: { note: 1 },
          memories: 1,
          from: '2024-01-02T10:00:00.000Z',
          to: '2024-01-02T10:00:00.000Z',
        },
      ],
    });
    const none = await api(s.url, 'GET', '/v1/users/nobody/sessions', { key: acmeRead });
    assert.deepEqual(none.json, { user: 'nobody', sessions: [] });
    const zed = await api(s.url, 'GET', '/v1/users/zed/sessions', { key: acmeRead });
    assert.deepEqual(zed.json.sessions, []);
  });

  test('keys: admin only, confined to the caller’s tenant, secret shown at creation only', async () => {
    assert.equal((await api(s.url, 'GET', '/v1/keys', { key: acmeWrite })).status, 403);
    assert.equal(
      (await api(s.url, 'POST', '/v1/keys', { key: acmeWrite, body: { role: 'read' } })).status,
      403,
    );
    const created = await api(s.url, 'POST', '/v1/keys', { key: acme, body: { role: 'read', name: 'bot' } });
    assert.equal(created.status, 201);
    assert.equal(created.json.key.tenant, 'acme');
    assert.equal(created.json.key.role, 'read');
    assert.equal(created.json.key.name, 'bot');
    assert.match(created.json.secret, /^egk_/);
    assert.equal((await api(s.url, 'GET', '/v1/whoami', { key: created.json.secret })).json.tenant, 'acme');
    // A tenant cannot be named: the new key is always the caller's tenant.
    const smuggled = await api(s.url, 'POST', '/v1/keys', {
      key: acme,
      body: { role: 'admin', tenant: 'globex' },
    });
    assert.equal(smuggled.status, 400);
    const listed = await api(s.url, 'GET', '/v1/keys', { key: acme });
    assert.ok(listed.json.keys.every((k: { tenant: string }) => k.tenant === 'acme'));
    assert.equal(listed.json.keys.length, 4);
    assert.ok(!listed.text.includes(created.json.secret));
    const globexKeys = await api(s.url, 'GET', '/v1/keys', { key: globex });
    assert.deepEqual(
      globexKeys.json.keys.map((k: { tenant: string }) => k.tenant),
      ['globex'],
    );
    // Revoking: another tenant's key is not found; one's own works at once.
    const theirs = globexKeys.json.keys[0].id;
    assert.equal((await api(s.url, 'DELETE', `/v1/keys/${theirs}`, { key: acme })).status, 404);
    assert.equal((await api(s.url, 'GET', '/v1/whoami', { key: globex })).status, 200);
    const revoked = await api(s.url, 'DELETE', `/v1/keys/${created.json.key.id}`, { key: acme });
    assert.equal(revoked.status, 200);
    assert.equal(typeof revoked.json.revokedAt, 'string');
    assert.equal((await api(s.url, 'GET', '/v1/whoami', { key: created.json.secret })).status, 401);
    assert.equal((await api(s.url, 'GET', '/v1/keys', { key: acme })).json.keys.length, 3);
    assert.equal(
      (await api(s.url, 'GET', '/v1/keys?includeRevoked=true', { key: acme })).json.keys.length,
      4,
    );
  });
});

test('without a build the page says how to build it, under the same CSP', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'engram-nodash-'));
  const app = Fastify();
  try {
    await mountDashboard(app, dir);
    const r = await app.inject({ method: 'GET', url: '/' });
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /npm run build/);
    assert.equal(r.headers['content-security-policy'], DASHBOARD_CSP);
    assert.equal(r.headers['x-frame-options'], 'DENY');
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
