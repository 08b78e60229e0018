/**
 * Which backend the suite runs against: SQLite (default) or PostgreSQL (`ENGRAM_TEST_BACKEND=postgres`, the
 * second half of `npm test`). Tests ask `testDb()` for a database location instead of naming a file, so the
 * same test files run on both. On PostgreSQL each location is a fresh schema of the test database
 * (`ENGRAM_TEST_PG_URL`, default postgres://postgres@127.0.0.1:5432/test), dropped when the test process ends.
 * An unreachable server fails the tests that use it: the PostgreSQL half is never skipped.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export type Backend = 'sqlite' | 'postgres';

export const TEST_BACKEND: Backend = process.env.ENGRAM_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

export const PG_TEST_URL = process.env.ENGRAM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const created = new Set<string>();
let cleanupRegistered = false;

/** A new, empty schema's URL on the test PostgreSQL server (created by whatever opens it first). */
export function freshPostgresUrl(label = 't'): string {
  const schema = `engram_test_${label.replace(/\W/g, '').slice(0, 12)}_${randomBytes(5).toString('hex')}`;
  created.add(schema);
  registerCleanup();
  const url = new URL(PG_TEST_URL);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/**
 * A database location on the current backend: on SQLite a file in `dir` (or `:memory:` without one), on
 * PostgreSQL a fresh schema.
 */
export function testDb(dir?: string, file = 'engram.db'): string {
  if (TEST_BACKEND === 'postgres') return freshPostgresUrl();
  return dir === undefined ? ':memory:' : join(dir, file);
}

/** Drops the schemas this process created (tests that keep a server running past their end are done by then). */
export async function dropTestSchemas(): Promise<void> {
  if (created.size === 0) return;
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    for (const schema of created) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    created.clear();
  } finally {
    await client.end();
  }
}

function registerCleanup(): void {
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  let done = false;
  process.on('beforeExit', () => {
    if (done) return;
    done = true;
    dropTestSchemas().catch((e: unknown) => {
      process.stderr.write(`could not drop test schemas: ${(e as Error).message}\n`);
      process.exitCode = 1;
    });
  });
}

/** The (id, text) rows of a tenant read straight from the database, past any server or store. */
export async function storedRows(location: string, tenant: string): Promise<{ id: string; text: string }[]> {
  if (!/^postgres(ql)?:\/\//.test(location)) {
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(location, { readonly: true });
    try {
      return db.prepare('SELECT id, text FROM memories WHERE tenant = ? ORDER BY seq').all(tenant) as {
        id: string;
        text: string;
      }[];
    } finally {
      db.close();
    }
  }
  const url = new URL(location);
  const schema = url.searchParams.get('schema') ?? 'engram';
  url.searchParams.delete('schema');
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (
      await client.query(`SELECT id, text FROM ${schema}.memories WHERE tenant = $1 ORDER BY seq`, [tenant])
    ).rows;
  } finally {
    await client.end();
  }
}
