/**
 * A second connection to the store's file on a thread of its own, so that one large read can be split in two
 * and run on two cores: `searchText` hands the upper half of a big full-text query's rowid range to this
 * thread while the caller's thread scores the lower half (BM25 over 100k memories is ~90% per-row scoring in
 * FTS5, so halves take half the time).
 *
 * Started lazily and used only once its connection is open, so no search waits for it; read-only (query_only);
 * unreferenced while idle, so it never keeps the process alive. Any failure disables it and the caller runs
 * the whole query itself. Each statement runs in its own read transaction, like the caller's: a write committed
 * between the two halves' starts (another request of the same process, or another process) can make them see
 * different snapshots, as two consecutive searches would.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Code run with `eval`, so the worker needs neither a build step nor the TypeScript loader. Node evaluates it
// as CommonJS or as an ES module by the package.json of the working directory, so it uses neither require nor import.
const SOURCE = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const Database = process.getBuiltinModule('node:module').createRequire(workerData.driver)(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
db.pragma('query_only = ON');
Atomics.store(workerData.open, 0, 1);
const statements = new Map();
parentPort.on('message', ({ id, sql, params }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size > 32) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    parentPort.postMessage({ id, rows: statement.all(...params) });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
});
parentPort.postMessage({ ready: true });
`;

interface Reply {
  id?: number;
  ready?: boolean;
  rows?: unknown[];
  error?: string;
}

export class ReadWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (rows: unknown[]) => void; reject: (e: Error) => void }
  >();
  private next = 0;
  /**
   * Set by the worker once its connection is open. Shared memory rather than a message: a caller that runs
   * search after search never yields to the event loop between them (better-sqlite3 is synchronous), so a
   * message saying "ready" would wait until the first split that can only start after it.
   */
  private readonly open = new Int32Array(new SharedArrayBuffer(4));
  private failed = false;
  private settle: (ready: boolean) => void = () => {};
  /** Resolves once the connection is open (true) or the worker failed (false). */
  readonly opened = new Promise<boolean>((resolve) => {
    this.settle = resolve;
  });

  constructor(path: string, busyTimeoutMs: number) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(SOURCE, {
      eval: true,
      workerData: { path, driver, busyTimeoutMs, open: this.open },
    });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.receive(reply));
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`the read worker exited (${code})`)));
  }

  /** Open and healthy: a query sent now starts at once. */
  get available(): boolean {
    return !this.failed && Atomics.load(this.open, 0) === 1;
  }

  all<T>(sql: string, params: unknown[]): Promise<T[]> {
    if (this.failed) return Promise.reject(new Error('the read worker is unavailable'));
    const id = this.next++;
    // Referenced while a query is out, so that the process waits for its answer.
    if (this.pending.size === 0) this.worker.ref();
    return new Promise<T[]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
      this.worker.postMessage({ id, sql, params });
    });
  }

  async close(): Promise<void> {
    this.fail(new Error('the store is closed'));
    // Referenced until it has exited, or the process may not wait for the exit and leave this promise pending.
    this.worker.ref();
    await this.worker.terminate();
  }

  private receive(reply: Reply): void {
    if (reply.ready) {
      this.settle(true);
      return;
    }
    const waiting = this.pending.get(reply.id!);
    if (!waiting) return;
    this.pending.delete(reply.id!);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.error !== undefined) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply.rows ?? []);
  }

  private fail(e: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.settle(false);
    for (const waiting of this.pending.values()) waiting.reject(e);
    this.pending.clear();
    this.worker.unref();
  }
}
