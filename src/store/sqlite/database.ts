import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { EngramError, ErrorCodes } from '../../core/errors.js';
import type { FtsIndex } from './fts-index.js';
import { FORMAT_MARK, MIGRATIONS, SCHEMA_VERSION } from './schema.js';

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * Opens a SQLite file as an Engram database: refuses files that are not one (or are newer than this Engram),
 * sets the connection up and runs the pending migrations. The caller closes the connection on error after this.
 */
export function openDatabase(path: string, busyTimeoutMs: number): Database.Database {
  checkIsSqliteFile(path);
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (e) {
    throw new EngramError(
      ErrorCodes.NOT_AN_ENGRAM_DB,
      `Cannot open database ${path}: ${(e as Error).message}`,
    );
  }
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode keeps every committed transaction across a process crash (not power loss), at a
    // fraction of FULL's fsync cost.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Erased text must not linger in freed pages or cells.
    db.pragma('secure_delete = ON');
    migrate(db, path);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function migrate(db: Database.Database, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
    name: string;
  }[];
  const names = new Set(tables.map((t) => t.name));
  if (version > SCHEMA_VERSION) {
    throw new EngramError(
      ErrorCodes.DB_TOO_NEW,
      `${path} has schema version ${version}, newer than this Engram (${SCHEMA_VERSION}); upgrade Engram`,
    );
  }
  if (version === 0 && names.size > 0) {
    throw new EngramError(
      ErrorCodes.NOT_AN_ENGRAM_DB,
      `${path} is a SQLite database but not an Engram database; choose another database file`,
    );
  }
  if (version > 0) {
    const mark = names.has('engram_meta')
      ? (db.prepare("SELECT value FROM engram_meta WHERE key = 'format'").get() as
          | { value: string }
          | undefined)
      : undefined;
    if (mark?.value !== FORMAT_MARK) {
      throw new EngramError(
        ErrorCodes.NOT_AN_ENGRAM_DB,
        `${path} is not an Engram database (no format mark); choose another database file`,
      );
    }
  }
  for (let v = version + 1; v <= SCHEMA_VERSION; v++) {
    const sql = MIGRATIONS[v]!;
    db.transaction(() => {
      db.exec(sql);
      if (v === 1) db.prepare("INSERT INTO engram_meta (key, value) VALUES ('format', ?)").run(FORMAT_MARK);
      db.pragma(`user_version = ${v}`);
    }).immediate();
  }
}

/** Rebuilds the full-text index when the indexer's version differs from the one the file was written with. */
export function syncIndexVersion(db: Database.Database, fts: FtsIndex, version: string): void {
  // The meta key predates the indexer: it named the analyzer, which was the only part that changed then.
  const row = db.prepare("SELECT value FROM engram_meta WHERE key = 'analyzer'").get() as
    | { value: string }
    | undefined;
  if (row?.value === version) return;
  db.transaction(() => {
    fts.rebuildAll();
    db.prepare(
      "INSERT INTO engram_meta (key, value) VALUES ('analyzer', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(version);
  }).immediate();
}

/** Refuses a non-empty file that is not SQLite before better-sqlite3 could treat it as one. */
function checkIsSqliteFile(path: string): void {
  if (path === ':memory:' || !existsSync(path)) return;
  const st = statSync(path);
  if (st.isDirectory()) {
    throw new EngramError(ErrorCodes.INVALID_INPUT, `${path} is a directory; a database is a file path`);
  }
  if (st.size === 0) return;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    if (buf.toString('latin1') !== SQLITE_HEADER) {
      throw new EngramError(
        ErrorCodes.NOT_AN_ENGRAM_DB,
        `${path} is not an Engram database (not a SQLite file); choose another database file`,
      );
    }
  } finally {
    closeSync(fd);
  }
}
