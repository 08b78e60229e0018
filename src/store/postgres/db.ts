/**
 * The few things the PostgreSQL store needs from a connection: a query, a transaction, closing. Two
 * implementations: a `pg` connection pool (servers) and PGlite (in-process PostgreSQL, used to test the
 * pgvector path). `pg` is loaded only when a PostgreSQL URL is opened.
 */
import { createHash } from 'node:crypto';
import { EngramError, ErrorCodes } from '../../core/errors.js';

export type Row = Record<string, unknown>;

export interface QueryOptions {
  /**
   * Keep the statement prepared on each connection that runs it (named by a hash of its text), so that running
   * it again skips parsing and, once PostgreSQL settles on a generic plan, planning too. For the statements of
   * every search, whose texts come in a handful of shapes; not for one-off or ever-changing texts.
   */
  prepare?: boolean;
}

export interface Sql {
  query<T = Row>(text: string, params?: unknown[], options?: QueryOptions): Promise<T[]>;
}

export interface Database extends Sql {
  /** Runs `fn` in one transaction; retried from the start on a deadlock or serialization failure. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Waits for running queries and closes every connection. */
  close(): Promise<void>;
}

/** SQLSTATEs after which the whole transaction may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 8;

export interface PoolOptions {
  connectionString: string;
  /** Connections per process. Default 10. */
  max?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
  /** False: run every statement unnamed, whatever its QueryOptions say. Default true. */
  prepare?: boolean;
}

interface PgClient {
  query(
    text: string | { name: string; text: string; values?: unknown[] },
    params?: unknown[],
  ): Promise<{ rows: Row[] }>;
  release(err?: Error | boolean): void;
}

interface PgPool {
  query(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  connect(): Promise<PgClient>;
  end(): Promise<void>;
  on(event: 'error', listener: (e: Error) => void): void;
}

/** A `pg` pool. Connection errors surface as EngramErrors naming the server, never the password. */
export async function openPool(options: PoolOptions, display: string): Promise<Database> {
  let pg: typeof import('pg');
  try {
    pg = await import('pg');
  } catch (e) {
    throw new EngramError(
      ErrorCodes.UNSUPPORTED,
      `The PostgreSQL driver (npm package "pg") is not installed: ${(e as Error).message}`,
    );
  }
  const Pool = (pg.default?.Pool ?? pg.Pool) as unknown as new (config: object) => PgPool;
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'engram',
  });
  const prepare = options.prepare !== false;
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const wrapConnect = async (): Promise<PgClient> => {
    try {
      return await pool.connect();
    } catch (e) {
      throw new EngramError(
        ErrorCodes.INTERNAL,
        `Cannot connect to PostgreSQL at ${display}: ${(e as Error).message}`,
        undefined,
        { cause: e },
      );
    }
  };
  return {
    async query<T>(text: string, params?: unknown[], options?: QueryOptions) {
      const client = await wrapConnect();
      try {
        const rows =
          options?.prepare && prepare
            ? (await client.query({ name: statementName(text), text, values: params ?? [] })).rows
            : (await client.query(text, params)).rows;
        return rows as T[];
      } finally {
        client.release();
      }
    },
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        const client = await wrapConnect();
        let broken: Error | undefined;
        try {
          await client.query('BEGIN');
          const tx: Sql = {
            query: async <R>(text: string, params?: unknown[]) =>
              (await client.query(text, params)).rows as R[],
          };
          const result = await fn(tx);
          await client.query('COMMIT');
          return result;
        } catch (e) {
          try {
            await client.query('ROLLBACK');
          } catch (rollbackError) {
            broken = rollbackError as Error;
          }
          const code = (e as { code?: string }).code;
          if (!(code && RETRYABLE.has(code)) || attempt >= MAX_ATTEMPTS) throw e;
        } finally {
          // A connection whose rollback failed is in an unknown state: drop it rather than reuse it.
          client.release(broken ?? false);
        }
      }
    },
    close: () => pool.end(),
  };
}

const names = new Map<string, string>();

/** A prepared statement's name: the same text gets the same name on every connection. */
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `engram_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    // Texts are few (see QueryOptions.prepare); the bound only guards against a caller that misuses it.
    if (names.size < 1000) names.set(text, name);
  }
  return name;
}

interface PgliteQueries {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(text: string): Promise<{ rows: unknown[] }[]>;
}

interface PgliteLike extends PgliteQueries {
  transaction<T>(fn: (tx: PgliteQueries) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PGlite's `query` takes one statement; a parameterless script (a migration) goes through `exec`. */
async function pgliteRun<T>(db: PgliteQueries, text: string, params?: unknown[]): Promise<T[]> {
  if (params && params.length > 0) return (await db.query<T>(text, params)).rows;
  const results = await db.exec(text);
  return (results[results.length - 1]?.rows ?? []) as T[];
}

/** An in-process PGlite database (one connection; its transactions run one at a time). */
export function pgliteDatabase(db: PgliteLike, options: { closeWith?: boolean } = {}): Database {
  return {
    query: <T>(text: string, params?: unknown[]) => pgliteRun<T>(db, text, params),
    transaction: <T>(fn: (tx: Sql) => Promise<T>) =>
      db.transaction(async (tx) =>
        fn({ query: <R>(text: string, params?: unknown[]) => pgliteRun<R>(tx, text, params) }),
      ),
    close: async () => {
      if (options.closeWith !== false) await db.close();
    },
  };
}
