/** `engram-memory/stores`: the Store interface and its implementations, for `open({ store })`. */

export { openSqliteStore } from '../memory/open.js';
export { SqliteStore } from '../store/sqlite/sqlite-store.js';
export type { ScopeFilter, ScoredId, Store } from '../store/types.js';
