/**
 * API keys in the PostgreSQL schema of the memories (table `api_keys`, created by the store's migrations), so
 * every server on the database accepts every key, and a revocation holds everywhere at once.
 */
import type { Database } from '../store/postgres/db.js';
import {
  type ApiKey,
  type CreatedKey,
  fromRow,
  hashSecret,
  KEY_MARK,
  type KeyRow,
  type KeyStore,
  LAST_USED_RESOLUTION_MS,
  newKey,
  onlyMatch,
  type Role,
} from './keys.js';

export class PostgresKeyStore implements KeyStore {
  private readonly lastTouched = new Map<string, number>();
  private readonly now: () => Date;

  /** `db` belongs to the store; closing the key store leaves it open. */
  constructor(
    private readonly db: Database,
    private readonly schema: string,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async create(input: { tenant: string; role: Role; name?: string | null }): Promise<CreatedKey> {
    const { row, secret } = newKey(input, this.now());
    await this.db.query(
      `INSERT INTO ${this.schema}.api_keys (id, name, tenant, role, prefix, hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [row.id, row.name, row.tenant, row.role, row.prefix, hashSecret(secret), row.created_at],
    );
    return { key: fromRow(row), secret };
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<ApiKey[]> {
    const where = options.includeRevoked ? '' : 'WHERE revoked_at IS NULL';
    const rows = await this.db.query<KeyRow>(
      `SELECT id, name, tenant, role, prefix, created_at, last_used_at, revoked_at FROM ${this.schema}.api_keys ${where} ORDER BY created_at, id`,
    );
    return rows.map(fromRow);
  }

  async revoke(idOrPrefix: string): Promise<ApiKey> {
    const row = onlyMatch(
      await this.db.query<KeyRow>(
        `SELECT id, name, tenant, role, prefix, created_at, last_used_at, revoked_at FROM ${this.schema}.api_keys WHERE id = $1 OR prefix = $1`,
        [idOrPrefix],
      ),
      idOrPrefix,
    );
    if (row.revoked_at === null) {
      const at = this.now().toISOString();
      // Revoked once: a second revocation keeps the first time.
      const [done] = await this.db.query<{ revoked_at: string }>(
        `UPDATE ${this.schema}.api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING revoked_at`,
        [row.id, at],
      );
      row.revoked_at = done?.revoked_at ?? at;
    }
    return fromRow(row);
  }

  async verify(secret: string): Promise<ApiKey | null> {
    if (!secret.startsWith(KEY_MARK) || secret.length > 200) return null;
    const [row] = await this.db.query<KeyRow>(
      `SELECT id, name, tenant, role, prefix, created_at, last_used_at, revoked_at FROM ${this.schema}.api_keys
       WHERE hash = $1 AND revoked_at IS NULL`,
      [hashSecret(secret)],
    );
    if (!row) return null;
    await this.touch(row);
    return fromRow(row);
  }

  async countActive(): Promise<number> {
    const [row] = await this.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${this.schema}.api_keys WHERE revoked_at IS NULL`,
    );
    return Number(row?.n ?? 0);
  }

  async close(): Promise<void> {}

  /** last_used_at is a hint for humans, written at most once a minute per key and process. */
  private async touch(row: KeyRow): Promise<void> {
    const now = this.now();
    const last = this.lastTouched.get(row.id) ?? 0;
    if (now.getTime() - last < LAST_USED_RESOLUTION_MS) return;
    this.lastTouched.set(row.id, now.getTime());
    row.last_used_at = now.toISOString();
    await this.db.query(`UPDATE ${this.schema}.api_keys SET last_used_at = $2 WHERE id = $1`, [
      row.id,
      row.last_used_at,
    ]);
  }
}
