import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPostgresUrl, parsePostgresUrl, withSchema } from '../../src/store/postgres/url.js';

test('PostgreSQL locations are told from file paths by their scheme', () => {
  assert.equal(isPostgresUrl('postgres://h/db'), true);
  assert.equal(isPostgresUrl('postgresql://u@h:5433/db?sslmode=require'), true);
  assert.equal(isPostgresUrl('./postgres/engram.db'), false);
  assert.equal(isPostgresUrl(':memory:'), false);
});

test('schema and pool are Engram parameters; the rest goes to the driver; passwords are masked', () => {
  const where = parsePostgresUrl(
    'postgres://ann:s3cret@db.example:5432/app?schema=prod_1&pool=4&sslmode=require',
  );
  assert.equal(where.schema, 'prod_1');
  assert.equal(where.pool, 4);
  assert.equal(where.connectionString, 'postgres://ann:s3cret@db.example:5432/app?sslmode=require');
  assert.ok(!where.display.includes('s3cret'));
  assert.match(where.display, /ann:\*\*\*@db\.example:5432\/app/);
  assert.equal(parsePostgresUrl('postgres://h/db').schema, 'engram');
  assert.equal(parsePostgresUrl(withSchema('postgres://h/db?x=1', 'other')).schema, 'other');
});

test('a schema name or pool size that could not be used is refused', () => {
  assert.throws(() => parsePostgresUrl('postgres://h/db?schema=drop;table'), { code: 'INVALID_INPUT' });
  assert.throws(() => parsePostgresUrl('postgres://h/db?schema=1abc'), { code: 'INVALID_INPUT' });
  assert.throws(() => parsePostgresUrl('postgres://h/db?pool=0'), { code: 'INVALID_INPUT' });
});

test('prepare=off turns prepared statements off (for a pooler that cannot follow them); on by default', () => {
  assert.equal(parsePostgresUrl('postgres://h/db').prepare, true);
  const off = parsePostgresUrl('postgres://h/db?prepare=off&sslmode=disable');
  assert.equal(off.prepare, false);
  assert.equal(off.connectionString, 'postgres://h/db?sslmode=disable');
  assert.throws(() => parsePostgresUrl('postgres://h/db?prepare=maybe'), { code: 'INVALID_INPUT' });
});
