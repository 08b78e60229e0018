/**
 * `engram-memory/stores`: the Store interface and its implementations, for `open({ store })`. `openStore(location)`
 * opens either as `open()` does: a `postgres://` URL or a SQLite file path.
 */
export { openStore } from '../memory/open.js';
export { PostgresStore } from '../store/postgres/postgres-store.js';
export { SqliteStore } from '../store/sqlite/sqlite-store.js';
export type { ScopeFilter, ScoredId, Store } from '../store/types.js';
