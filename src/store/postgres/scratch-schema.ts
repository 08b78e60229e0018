import { randomBytes } from 'node:crypto';
import { openPool } from './db.js';
import { parsePostgresUrl, withSchema } from './url.js';

/**
 * A throwaway schema next to the one a URL names (benchmarks open one store per corpus or run, as they use a
 * temporary SQLite file), and its removal.
 */
export function scratchSchemaUrl(base: string, label: string): string {
  const { schema } = parsePostgresUrl(base);
  return withSchema(base, `${schema}_${label}_${randomBytes(4).toString('hex')}`.slice(0, 63));
}

export async function dropSchema(url: string): Promise<void> {
  const where = parsePostgresUrl(url);
  const db = await openPool({ connectionString: where.connectionString, max: 1 }, where.display);
  try {
    await db.query(`DROP SCHEMA IF EXISTS ${where.schema} CASCADE`);
  } finally {
    await db.close();
  }
}
