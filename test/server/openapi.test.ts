import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { API_ROUTES } from '../../src/server/app.js';
import { api, startTestServer, type TestServer } from './helpers.js';

let s: TestServer;
// biome-ignore lint/suspicious/noExplicitAny: the document is walked generically
let doc: any;
before(async () => {
  s = await startTestServer();
  doc = (await api(s.url, 'GET', '/openapi.json')).json;
});
after(async () => {
  await s.stop();
});

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

test('OpenAPI 3.1 with every route, each with an operationId, responses and a role', () => {
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.info.title, 'Engram API');
  for (const r of API_ROUTES) {
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    const op = doc.paths[path]?.[r.method.toLowerCase()];
    assert.ok(op, `${r.method} ${path} documented`);
    assert.equal(op.operationId, r.operationId);
    assert.ok(Object.keys(op.responses).length >= 2);
    assert.equal(op['x-required-role'], r.role);
    assert.ok(op.responses['401']);
  }
  const ids = API_ROUTES.map((r) => r.operationId);
  assert.equal(new Set(ids).size, ids.length);
});

test('every $ref resolves to a component schema', () => {
  const all = refs(doc);
  assert.ok(all.length > 10);
  for (const ref of all) {
    assert.match(ref, /^#\/components\/schemas\//);
    assert.ok(doc.components.schemas[ref.split('/').pop() as string], ref);
  }
});

test('request schemas are the ones the server validates with', () => {
  const input = doc.components.schemas.MemoryInput;
  assert.deepEqual(input.required.sort(), ['text', 'user']);
  assert.equal(input.additionalProperties, false);
  assert.deepEqual(input.properties.kind.enum, ['turn', 'fact', 'summary', 'note']);
  const list = doc.paths['/v1/memories'].get.parameters.map((p: { name: string }) => p.name);
  assert.ok(list.includes('user') && list.includes('cursor') && list.includes('includeDeleted'));
  const byId = doc.paths['/v1/memories/{id}'].get.parameters;
  assert.deepEqual(
    byId.map((p: { name: string; in: string; required: boolean }) => [p.name, p.in, p.required]),
    [['id', 'path', true]],
  );
  assert.ok(doc.paths['/v1/import'].post.requestBody.content['application/x-ndjson']);
  assert.equal(doc.components.securitySchemes.apiKey.scheme, 'bearer');
});
