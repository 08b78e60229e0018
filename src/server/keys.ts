/**
 * API keys: each key is bound to one tenant and one role. Only a SHA-256 hash of the secret and a short visible
 * prefix are stored, so a stolen database file does not yield working keys. The table lives in the same database
 * as the memories: the SQLite file (WAL mode lets the key store and the engine share it), or the PostgreSQL
 * schema (keys-postgres.ts), where a key created through one server works on every server.
 */
import { createHash, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { ulid } from 'ulid';
import { EngramError, ErrorCodes } from '../core/errors.js';

export const ROLES = ['read', 'write', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What may be done with a key: `write` includes `read`, `admin` includes both. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

export interface ApiKey {
  id: string;
  name: string | null;
  tenant: string;
  role: Role;
  /** The first characters of the key, shown in lists so a user can tell keys apart. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedKey {
  key: ApiKey;
  /** The full secret. Shown once at creation; never stored. */
  secret: string;
}

export interface KeyStore {
  create(input: { tenant: string; role: Role; name?: string | null }): Promise<CreatedKey>;
  list(options?: { includeRevoked?: boolean }): Promise<ApiKey[]>;
  /** Revokes by id or by visible prefix; returns the revoked key. */
  revoke(idOrPrefix: string): Promise<ApiKey>;
  /** The active key a secret belongs to, or null (unknown or revoked). */
  verify(secret: string): Promise<ApiKey | null>;
  /** Number of keys that are not revoked. */
  countActive(): Promise<number>;
  close(): Promise<void>;
}

export const KEY_MARK = 'egk_';
export const PREFIX_LENGTH = KEY_MARK.length + 8;
const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
/** last_used_at is a hint for humans; writing it on every request would contend with memory writes. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function validateTenant(tenant: string): string {
  if (!TENANT_PATTERN.test(tenant)) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `Invalid tenant "${tenant}": use 1-128 letters, digits or . _ : @ - (starting with a letter or digit).`,
    );
  }
  return tenant;
}

export function validateRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `Invalid role "${role}": use one of ${ROLES.join(', ')}.`,
    );
  }
  return role as Role;
}

export interface KeyRow {
  id: string;
  name: string | null;
  tenant: string;
  role: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export function fromRow(row: KeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    tenant: row.tenant,
    role: row.role as Role,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    name TEXT,
    tenant TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('read', 'write', 'admin')),
    prefix TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  );
`;

/** A new key's row and its secret (shown once). */
export function newKey(
  input: { tenant: string; role: Role; name?: string | null },
  now: Date,
): { row: KeyRow; secret: string } {
  const tenant = validateTenant(input.tenant);
  const role = validateRole(input.role);
  const name = input.name?.trim() ? input.name.trim() : null;
  const secret = KEY_MARK + randomBytes(32).toString('base64url');
  const row: KeyRow = {
    id: ulid(),
    name,
    tenant,
    role,
    prefix: secret.slice(0, PREFIX_LENGTH),
    created_at: now.toISOString(),
    last_used_at: null,
    revoked_at: null,
  };
  return { row, secret };
}

/** The one key `idOrPrefix` names, or a NOT_FOUND / CONFLICT error. */
export function onlyMatch(matches: KeyRow[], idOrPrefix: string): KeyRow {
  if (matches.length === 0) {
    throw new EngramError(
      ErrorCodes.NOT_FOUND,
      `No API key with id or prefix "${idOrPrefix}" (see: engram keys list).`,
    );
  }
  if (matches.length > 1) {
    throw new EngramError(ErrorCodes.CONFLICT, `"${idOrPrefix}" matches several keys; revoke by id instead.`);
  }
  return matches[0]!;
}

/** How long the key store's connection waits for another writer (creating or revoking a key). */
const KEY_BUSY_TIMEOUT_MS = 5_000;

/** The SQLite key store. Open it after the engine has created (and so marked) the database file. */
export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly lastTouched = new Map<string, number>();
  private readonly now: () => Date;

  constructor(path: string, options: { now?: () => Date } = {}) {
    this.now = options.now ?? (() => new Date());
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`busy_timeout = ${KEY_BUSY_TIMEOUT_MS}`);
    this.db.exec(SCHEMA);
  }

  async create(input: { tenant: string; role: Role; name?: string | null }): Promise<CreatedKey> {
    const { row, secret } = newKey(input, this.now());
    this.db
      .prepare(
        `INSERT INTO api_keys (id, name, tenant, role, prefix, hash, created_at)
         VALUES (@id, @name, @tenant, @role, @prefix, @hash, @created_at)`,
      )
      .run({ ...row, hash: hashSecret(secret) });
    return { key: fromRow(row), secret };
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<ApiKey[]> {
    const where = options.includeRevoked ? '' : 'WHERE revoked_at IS NULL';
    const rows = this.db.prepare(`SELECT * FROM api_keys ${where} ORDER BY created_at, id`).all() as KeyRow[];
    return rows.map(fromRow);
  }

  async revoke(idOrPrefix: string): Promise<ApiKey> {
    const matches = this.db
      .prepare('SELECT * FROM api_keys WHERE id = ? OR prefix = ?')
      .all(idOrPrefix, idOrPrefix) as KeyRow[];
    const row = onlyMatch(matches, idOrPrefix);
    if (row.revoked_at === null) {
      row.revoked_at = this.now().toISOString();
      this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ?').run(row.revoked_at, row.id);
    }
    return fromRow(row);
  }

  async verify(secret: string): Promise<ApiKey | null> {
    if (!secret.startsWith(KEY_MARK) || secret.length > 200) return null;
    // Looking up by the hash of a 256-bit secret leaks nothing through timing: an attacker cannot steer the hash.
    const row = this.db
      .prepare('SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL')
      .get(hashSecret(secret)) as KeyRow | undefined;
    if (!row) return null;
    this.touch(row);
    return fromRow(row);
  }

  async countActive(): Promise<number> {
    const row = this.db.prepare('SELECT COUNT(*) AS n FROM api_keys WHERE revoked_at IS NULL').get() as {
      n: number;
    };
    return row.n;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private touch(row: KeyRow): void {
    const now = this.now();
    const last = this.lastTouched.get(row.id) ?? 0;
    if (now.getTime() - last < LAST_USED_RESOLUTION_MS) return;
    this.lastTouched.set(row.id, now.getTime());
    row.last_used_at = now.toISOString();
    // Without waiting: the store's write transactions pause with the file locked (sqlite-store.ts), and a
    // busy_timeout here would hold the event loop until they commit.
    this.db.pragma('busy_timeout = 0');
    try {
      this.db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(row.last_used_at, row.id);
    } catch {
      // A busy database must not turn a valid key into a failed request; the timestamp is only a hint.
    } finally {
      this.db.pragma(`busy_timeout = ${KEY_BUSY_TIMEOUT_MS}`);
    }
  }
}
