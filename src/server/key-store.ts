/** Opens the API key store of a database location: the SQLite file, or the PostgreSQL schema. */
import { isPostgresUrl } from '../store/postgres/url.js';
import { type KeyStore, SqliteKeyStore } from './keys.js';

/**
 * A key store of its own (own connection), for tools and tests that manage keys beside a running server. Open
 * it after the engine has created the database. The server shares the engine's connection instead.
 */
export async function openKeyStore(location: string, options: { now?: () => Date } = {}): Promise<KeyStore> {
  if (!isPostgresUrl(location)) return new SqliteKeyStore(location, options);
  const { openPool } = await import('../store/postgres/db.js');
  const { parsePostgresUrl } = await import('../store/postgres/url.js');
  const { PostgresKeyStore } = await import('./keys-postgres.js');
  const where = parsePostgresUrl(location);
  const db = await openPool({ connectionString: where.connectionString, max: 2 }, where.display);
  const keys = new PostgresKeyStore(db, where.schema, options);
  return Object.assign(keys, {
    close: async () => {
      await db.close();
    },
  });
}
