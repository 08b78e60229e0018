import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { parsePostgresUrl } from '../../src/store/postgres/url.js';
import { PG_TEST_URL } from '../helpers/backend.js';
import { makeMemory, unitVector } from '../helpers/memory-factory.js';
import { insert, testIndexer } from '../helpers/store-ops.js';

/**
 * Every file of every relation of the schema (tables, indexes, TOAST), read by the server after a checkpoint
 * (pg_read_binary_file needs a superuser, as the test server's user is).
 */
async function schemaBytes(client: pg.Client, schema: string): Promise<Buffer> {
  await client.query('CHECKPOINT');
  const rels = await client.query<{ path: string }>(
    `SELECT pg_relation_filepath(c.oid) AS path FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'i', 't')
     UNION
     SELECT pg_relation_filepath(t.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_class t ON t.oid IN (c.reltoastrelid, (SELECT indexrelid FROM pg_index WHERE indrelid = c.reltoastrelid))
     WHERE n.nspname = $1`,
    [schema],
  );
  const parts: Buffer[] = [];
  for (const { path } of rels.rows) {
    if (!path) continue;
    // Segments of 1 GiB: path, path.1, path.2, …
    for (let seg = 0; ; seg++) {
      const file = seg === 0 ? path : `${path}.${seg}`;
      const exists = await client.query('SELECT (pg_stat_file($1, true)).size AS size', [file]);
      if (exists.rows[0].size === null) break;
      parts.push((await client.query('SELECT pg_read_binary_file($1) AS b', [file])).rows[0].b as Buffer);
    }
  }
  return Buffer.concat(parts);
}

/**
 * A database of its own: VACUUM FULL keeps dead versions that any transaction open in the same database might
 * still see, so other tests (or other runs) writing to the shared test database would keep the bytes alive.
 */
async function ownDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `engram_erase_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_TEST_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_TEST_URL);
  url.pathname = `/${name}`;
  url.searchParams.set('schema', 'engram');
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_TEST_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

test('erase removes the text from rows, history and the index; --compact removes the old row versions from every table file', async () => {
  const own = await ownDatabase();
  const where = parsePostgresUrl(own.url);
  const store = await PostgresStore.open(own.url, { indexer: testIndexer() });
  const client = new pg.Client({ connectionString: where.connectionString });
  await client.connect();
  // Another session whose snapshot predates the erase (REPEATABLE READ), as a long report or a backup would hold.
  const reader = new pg.Client({ connectionString: where.connectionString });
  await reader.connect();
  try {
    const secret = 'Quillonsworth keeps the vault code 7731 under the zebrawood drawer';
    const mine = [
      makeMemory({ user: 'leaving', kind: 'turn', session: 's', text: secret }),
      makeMemory({ user: 'leaving', kind: 'turn', session: 's', text: 'and quillonsworth said it twice' }),
    ];
    const kept = makeMemory({ user: 'staying', text: 'an ordinary note about lunch' });
    await insert(
      store,
      [...mine, kept],
      new Map([[mine[0]!.id, { model: 'm', vector: unitVector([1, 0]) }]]),
    );
    await store.apply({
      tenant: 't1',
      ops: [
        {
          op: 'replace',
          memory: { ...mine[1]!, text: 'quillonsworth edited it', updatedAt: '2024-02-01T00:00:00.000Z' },
          change: { action: 'update', actor: 'test' },
        },
      ],
    });
    assert.ok((await schemaBytes(client, where.schema)).includes('zebrawood'), 'the check sees live text');
    // Its snapshot is taken by its first statement; it touches no Engram table, so it holds no lock that the
    // rewrite would wait for (a reader of those tables makes VACUUM FULL wait until it ends).
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.query('SELECT 1');

    assert.equal(await store.erase('t1', { user: 'leaving' }, 'test'), 2);
    const dump = JSON.stringify(
      (
        await client.query(
          `SELECT (SELECT json_agg(m) FROM ${where.schema}.memories m) AS m, (SELECT json_agg(h) FROM ${where.schema}.history h) AS h,
                  (SELECT json_agg(p) FROM ${where.schema}.postings p) AS p, (SELECT json_agg(d) FROM ${where.schema}.fts_docs d) AS d,
                  (SELECT json_agg(t) FROM ${where.schema}.term_stats t) AS t`,
        )
      ).rows,
    );
    for (const word of ['zebrawood', 'quillonsworth', 'Quillonsworth'])
      assert.ok(!dump.includes(word), `${word} in a live row`);
    assert.ok(dump.includes('lunch'));
    // Dead row versions still hold the text until the tables are rewritten: what `erase --compact` is for.
    assert.ok(
      (await schemaBytes(client, where.schema)).includes('zebrawood'),
      'dead tuples keep the text before compaction',
    );

    // While the reader's snapshot is open the old versions must stay (it may read them): the compaction says
    // so instead of claiming success, and the bytes are indeed still there.
    const held = await store.compact();
    assert.equal(held.complete, false);
    assert.match(
      held.reason ?? '',
      /1 transaction\(s\) open since before the rewrite may still see erased rows/,
    );
    assert.equal(
      (await reader.query(`SELECT count(*)::int AS n FROM ${where.schema}.memories`)).rows[0].n,
      3,
      'the reader still sees the erased memories',
    );
    assert.ok((await schemaBytes(client, where.schema)).includes('zebrawood'), 'kept for the reader');
    await reader.query('COMMIT');

    assert.deepEqual(await store.compact(), { complete: true });
    const bytes = await schemaBytes(client, where.schema);
    for (const word of ['zebrawood', 'Quillonsworth', 'quillonsworth', '7731']) {
      assert.ok(!bytes.includes(word), `${word} is still in a table file`);
    }
    assert.ok(bytes.includes('ordinary note about lunch'), 'what was not erased is still there');
  } finally {
    await reader.end();
    await client.end();
    await store.close();
    await own.drop();
  }
});
