import { EngramError, ErrorCodes } from '../../core/errors.js';

/** Whether a database location names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location.trim());
}

/** Letters, digits and underscores, starting with a letter or underscore: needs no quoting anywhere. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export const DEFAULT_SCHEMA = 'engram';

export interface PostgresLocation {
  /** The URL as the driver takes it (Engram's own parameters removed). */
  connectionString: string;
  /** The PostgreSQL schema holding this installation's tables. */
  schema: string;
  /** The URL with any password masked, for logs and messages. */
  display: string;
  /** Connections this process may open (`pool` parameter); undefined = the default. */
  pool?: number;
  /** False with `prepare=off`: no statement is kept prepared (a pooler that cannot follow them sits between). */
  prepare: boolean;
}

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `Invalid PostgreSQL schema name "${schema}": use up to 63 letters, digits and underscores, not starting with a digit`,
    );
  }
  return schema;
}

/**
 * Reads `postgres://user:pass@host:port/db?schema=name&pool=10`. `schema` (default `engram`), `pool` (connections
 * per process, default 10) and `prepare` (`on` by default, `off` keeps no statement prepared) are Engram's
 * parameters: one database can hold several installations, one per schema. Every other parameter (sslmode,
 * application_name, …) goes to the driver.
 */
export function parsePostgresUrl(url: string, schemaOverride?: string): PostgresLocation {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new EngramError(ErrorCodes.INVALID_INPUT, `Not a valid PostgreSQL URL: ${maskPassword(url)}`);
  }
  const schema = checkSchemaName(schemaOverride ?? parsed.searchParams.get('schema') ?? DEFAULT_SCHEMA);
  const poolParam = parsed.searchParams.get('pool');
  let pool: number | undefined;
  if (poolParam !== null) {
    pool = Number(poolParam);
    if (!Number.isInteger(pool) || pool < 1 || pool > 1000) {
      throw new EngramError(
        ErrorCodes.INVALID_INPUT,
        `pool must be a whole number of connections from 1 to 1000, got "${poolParam}"`,
      );
    }
  }
  const prepareParam = parsed.searchParams.get('prepare');
  if (prepareParam !== null && prepareParam !== 'on' && prepareParam !== 'off') {
    throw new EngramError(ErrorCodes.INVALID_INPUT, `prepare must be on or off, got "${prepareParam}"`);
  }
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('pool');
  parsed.searchParams.delete('prepare');
  const connectionString = parsed.toString();
  return {
    connectionString,
    schema,
    display: maskPassword(withSchema(connectionString, schema)),
    ...(pool ? { pool } : {}),
    prepare: prepareParam !== 'off',
  };
}

/** The URL naming one schema of a database (the form `--db` accepts). */
export function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', checkSchemaName(schema));
  return parsed.toString();
}

function maskPassword(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}
