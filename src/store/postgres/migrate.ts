import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { Database, Sql } from './db.js';
import { markMentionScan } from './mention-scan.js';
import { bytesToVector, vectorLiteral } from './rows.js';
import { ENGRAM_TABLES, FORMAT_MARK, migrationSql, SCHEMA_VERSION } from './schema.js';

export interface SchemaState {
  /** Whether vectors are also kept in a pgvector column (the `vector` extension is installed). */
  pgvector: boolean;
}

/**
 * Creates or upgrades the schema, refusing one that is not Engram's or is newer than this code. Runs in one
 * transaction under an advisory lock, so that servers starting together migrate once and never half-way.
 */
export async function prepareSchema(
  db: Database,
  schema: string,
  options: { useVectorExtension: boolean; where: string },
): Promise<SchemaState> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`engram-schema:${schema}`]);
    const tables = (
      await tx.query<{ name: string }>('SELECT tablename AS name FROM pg_tables WHERE schemaname = $1', [
        schema,
      ])
    ).map((r) => r.name);
    let version = 0;
    if (tables.length > 0) {
      const mark = tables.includes('engram_meta')
        ? await tx.query<{ key: string; value: string }>(
            `SELECT key, value FROM ${schema}.engram_meta WHERE key IN ('format', 'schema_version')`,
          )
        : [];
      const format = mark.find((r) => r.key === 'format')?.value;
      if (format !== FORMAT_MARK) {
        throw new EngramError(
          ErrorCodes.NOT_AN_ENGRAM_DB,
          `Schema "${schema}" of ${options.where} holds tables that are not Engram's (${tables.slice(0, 5).join(', ')}); choose another schema or database`,
        );
      }
      version = Number(mark.find((r) => r.key === 'schema_version')?.value ?? 0);
      if (version > SCHEMA_VERSION) {
        throw new EngramError(
          ErrorCodes.DB_TOO_NEW,
          `Schema "${schema}" of ${options.where} has schema version ${version}, newer than this Engram (${SCHEMA_VERSION}); upgrade Engram`,
        );
      }
      const foreign = tables.filter((t) => !ENGRAM_TABLES.has(t));
      if (foreign.length > 0) {
        throw new EngramError(
          ErrorCodes.NOT_AN_ENGRAM_DB,
          `Schema "${schema}" of ${options.where} holds tables that are not Engram's (${foreign.slice(0, 5).join(', ')}); choose another schema or database`,
        );
      }
    } else {
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    }
    for (let v = version + 1; v <= SCHEMA_VERSION; v++) {
      await tx.query(migrationSql(v, schema));
      if (v === 1) {
        await tx.query(`INSERT INTO ${schema}.engram_meta (key, value) VALUES ('format', $1)`, [FORMAT_MARK]);
      }
      await tx.query(
        `INSERT INTO ${schema}.engram_meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [String(v)],
      );
    }
    await ensureIndexes(tx, schema);
    await markMentionScan(tx, schema);
    const pgvector = options.useVectorExtension && (await enableVectorColumn(tx, schema));
    return { pgvector };
  });
}

/**
 * Indexes that change no format, created when missing rather than by a versioned migration (any Engram version
 * reads the schema with or without them):
 * - `memories_id`: an import looks its ids up in every tenant (an id another tenant holds is renamed, import-ids.ts),
 *   which the (tenant, id) key cannot serve; without it that lookup reads the whole table.
 */
async function ensureIndexes(tx: Sql, schema: string): Promise<void> {
  // Looked up first: CREATE INDEX locks the table against writes even when the index is there already.
  const has = await tx.query(
    "SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND tablename = 'memories' AND indexname = 'memories_id'",
    [schema],
  );
  if (has.length === 0) await tx.query(`CREATE INDEX memories_id ON ${schema}.memories (id)`);
}

/**
 * Adds the pgvector column when the extension is installed in the database (or can be by this user). Not a
 * versioned migration: the same schema works with and without it, and the column is filled from `vector`.
 */
async function enableVectorColumn(tx: Sql, schema: string): Promise<boolean> {
  const installed = await tx.query("SELECT 1 FROM pg_extension WHERE extname = 'vector'");
  if (installed.length === 0) {
    const available = await tx.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
    if (available.length === 0) return false;
    await tx.query('SAVEPOINT engram_vector');
    try {
      await tx.query('CREATE EXTENSION IF NOT EXISTS vector');
      await tx.query('RELEASE SAVEPOINT engram_vector');
    } catch {
      // Not allowed to create extensions: vectors are then searched by exact scan in the server process.
      await tx.query('ROLLBACK TO SAVEPOINT engram_vector');
      return false;
    }
  }
  const has = await tx.query(
    "SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'vectors' AND column_name = 'embedding'",
    [schema],
  );
  if (has.length === 0) {
    await tx.query(`ALTER TABLE ${schema}.vectors ADD COLUMN embedding vector`);
    // Vectors stored before the extension was installed get their pgvector copy now.
    const rows = await tx.query<{ tenant: string; seq: string; vector: Buffer }>(
      `SELECT tenant, seq, vector FROM ${schema}.vectors`,
    );
    for (const r of rows) {
      await tx.query(`UPDATE ${schema}.vectors SET embedding = $3::vector WHERE tenant = $1 AND seq = $2`, [
        r.tenant,
        r.seq,
        vectorLiteral(bytesToVector(r.vector)),
      ]);
    }
  }
  return true;
}
