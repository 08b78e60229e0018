/**
 * Finishing an erasure on disk. Deleting rows is not enough: FTS5 keeps deleted terms in old segments until
 * they are merged, and in WAL mode the old page images stay in the write-ahead log — and the main file keeps
 * the old pages — until a checkpoint copies the new pages back and the log is truncated. A checkpoint cannot
 * pass a reader that started before the erase (in this or another process), and waiting for one would block
 * the event loop for up to busy_timeout. So the checkpoint is tried without waiting; when a reader holds it
 * back, the erase answers `purged: false` with the reason and the checkpoint is retried in the background,
 * without waiting either, until it completes (`whenPurged`).
 */
import type Database from 'better-sqlite3';

export interface PurgeState {
  /** True when every erased byte is gone from the database file and its WAL. */
  purged: boolean;
  /** Why not, when `purged` is false. */
  reason?: string;
}

/** How often a held-back checkpoint is retried. */
export const PURGE_RETRY_MS = 100;

const HELD_BACK =
  'another connection (in this or another process) is in a read transaction that began before the erase, so ' +
  'the write-ahead log and the old pages of the database file still hold the erased text; the purge completes ' +
  `automatically as soon as that reader finishes (retried every ${PURGE_RETRY_MS} ms)`;

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

export class WalPurger {
  private pending = false;
  private timer: NodeJS.Timeout | null = null;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly db: Database.Database,
    /** False for ':memory:' databases, which have no file to purge. */
    private readonly fileBacked: boolean,
    private readonly busyTimeoutMs: number,
  ) {}

  /** After an erase: merge the full-text segments, then checkpoint without waiting for readers. */
  purge(): PurgeState {
    this.db.exec("INSERT INTO memories_fts (memories_fts) VALUES ('optimize')");
    this.pending = true;
    return this.attempt();
  }

  state(): PurgeState {
    return this.pending ? { purged: false, reason: HELD_BACK } : { purged: true };
  }

  /** Resolves once no erased bytes remain on disk (at once when none are pending). */
  whenPurged(): Promise<void> {
    if (!this.pending) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops retrying (the store is closing; its close() runs a last checkpoint). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private attempt(): PurgeState {
    if (!this.fileBacked || this.checkpoint()) {
      this.pending = false;
      for (const w of this.waiters.splice(0)) w();
      return { purged: true };
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.attempt();
    }, PURGE_RETRY_MS);
    this.timer.unref();
    return this.state();
  }

  /** One TRUNCATE checkpoint that never waits: true when the whole log went into the file and was emptied. */
  private checkpoint(): boolean {
    // A write transaction of this connection has paused (sqlite-store.ts): the retry comes after its commit.
    if (this.db.inTransaction) return false;
    this.db.pragma('busy_timeout = 0');
    try {
      const [row] = this.db.pragma('wal_checkpoint(TRUNCATE)') as CheckpointRow[];
      return row !== undefined && row.busy === 0 && row.log === row.checkpointed;
    } catch (e) {
      // SQLITE_BUSY/LOCKED: another connection holds a lock right now; the retry will see it released.
      if (
        (e as { code?: string }).code?.startsWith('SQLITE_BUSY') ||
        (e as { code?: string }).code?.startsWith('SQLITE_LOCKED')
      )
        return false;
      throw e;
    } finally {
      this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    }
  }
}
