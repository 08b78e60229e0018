/**
 * WAL checkpoints on a thread of their own. SQLite checkpoints automatically when a commit leaves the
 * write-ahead log past 1,000 pages, inside that commit, on the committing connection's thread: after a large
 * transaction (a maintenance run, a 10 MB import: ~28 MB of log) copying the log into the database file held
 * the event loop for ~250 ms. The store turns the automatic checkpoint off for a transaction that paused
 * (sqlite-store.ts) and asks this thread for a PASSIVE checkpoint after its commit: it waits for no reader and
 * no writer (busy_timeout 0; a checkpoint that finds the lock taken is simply skipped, the next one copies
 * the rest), so the store's thread never waits for it either.
 *
 * Started on first use; unreferenced, so it never keeps the process alive. A failure disables it, and SQLite's
 * automatic checkpoint of later commits takes over.
 */
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Code run with `eval`, as read-worker.ts: no build step, no TypeScript loader. Node evaluates it as CommonJS
// or as an ES module by the package.json of the working directory, so it uses neither require nor import.
const SOURCE = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const Database = process.getBuiltinModule('node:module').createRequire(workerData.driver)(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    process.exit(0);
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    // Busy or locked: another connection is checkpointing or truncating the log, and copies the frames itself.
    const code = String((e && e.code) || '');
    if (!code.startsWith('SQLITE_BUSY') && !code.startsWith('SQLITE_LOCKED')) {
      parentPort.postMessage({ error: String((e && e.message) || e) });
      return;
    }
  }
  parentPort.postMessage({ done: true });
});
`;

export class Checkpointer {
  private worker: Worker | null = null;
  private failed = false;
  private running = false;
  private again = false;
  private exited = false;
  private closing = false;

  constructor(private readonly path: string) {}

  /** Asks for a checkpoint; one already running is followed by one more. */
  request(): void {
    if (this.failed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const worker = this.start();
    if (!worker) return;
    this.running = true;
    worker.ref();
    worker.postMessage('checkpoint');
  }

  /**
   * Asks the thread to close its connection and exit, and waits until it has. (Not `terminate()`: called while
   * the thread is still starting, its promise can be left pending with nothing keeping the process alive.)
   */
  async close(): Promise<void> {
    this.closing = true;
    this.failed = true;
    const worker = this.worker;
    this.worker = null;
    if (!worker || this.exited) return;
    worker.ref();
    const exited = once(worker, 'exit');
    worker.postMessage('close');
    await exited;
  }

  private start(): Worker | null {
    if (this.worker) return this.worker;
    try {
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      const worker = new Worker(SOURCE, { eval: true, workerData: { path: this.path, driver } });
      worker.unref();
      worker.on('message', (reply: { done?: true; error?: string }) => {
        // Closing: the thread stays referenced until it has exited (close()).
        if (this.closing) return;
        if (reply.error !== undefined) {
          // Not a lock conflict: give up on this thread; SQLite's automatic checkpoints copy the log instead.
          this.fail();
          worker.unref();
          return;
        }
        this.running = false;
        worker.unref();
        if (this.again) {
          this.again = false;
          this.request();
        }
      });
      worker.on('error', () => this.fail());
      worker.on('exit', () => {
        this.exited = true;
        this.fail();
      });
      this.worker = worker;
      return worker;
    } catch {
      this.fail();
      return null;
    }
  }

  private fail(): void {
    this.failed = true;
    this.running = false;
  }
}
