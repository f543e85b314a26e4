import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';


/**
 * Pages the WAL may hold before a commit on the event loop checkpoints it itself: only reached when the
 * background thread is stopped or stuck (about 40 MB with 4 KB pages), never in normal running.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

/** What SQLite answered the last `wal_checkpoint(PASSIVE)`: frames in the WAL, and how many are in the database file. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

// Plain JavaScript on purpose: the thread needs the driver and nothing of ours, so it starts in
// milliseconds under tsx, the bundle or vitest alike, with no compile step.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { setPriority } = require('node:os');
try { setPriority(10); } catch {}
const Database = require(workerData.driver);
const sqlite = new Database(workerData.databasePath, { fileMustExist: true });
sqlite.pragma('busy_timeout = 5000');
sqlite.pragma('synchronous = FULL');
const timer = setInterval(() => {
  try {
    parentPort.postMessage({ result: sqlite.pragma('wal_checkpoint(PASSIVE)')[0] });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  sqlite.close();
  parentPort.close();
});
`;

/**
 * WAL checkpoints off the event loop. By default SQLite checkpoints inside the commit that takes the
 * WAL past 1,000 pages: that commit copies the pages into the database file and waits for its fsync,
 * on the event loop, and every board and tablet waits with it (tens of ms to over 100 ms on these
 * disks, one command in a few hundred: the boards' p99). A thread with its own connection does it every
 * `WAL_CHECKPOINT_SECONDS` (10) instead; a PASSIVE checkpoint never blocks the writer, which keeps
 * committing meanwhile. Seconds apart rather than continuously: the pages a busy day rewrites (today's
 * cases, the log's last pages) are copied and flushed once per checkpoint, not once per commit, and each
 * flush slows the commits' own fsyncs while it lasts.
 */
export class WalCheckpointer {
  #worker: Worker | null = null;
  #stopped = false;
  #restart: NodeJS.Timeout | null = null;
  /** The last checkpoint's answer (null before the first). */
  last: CheckpointResult | null = null;

  constructor(
    private readonly databasePath: string,
    private readonly everyMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(THREAD, { eval: true, workerData: { databasePath: this.databasePath, driver, everyMs: this.everyMs } });
    worker.unref();
    worker.on('message', (message: { result?: CheckpointResult; error?: string }) => {
      if (message.result) this.last = message.result;
      else this.onError(new Error(`WAL checkpoint failed: ${message.error}`));
    });
    worker.on('error', (error) => this.onError(error));
    // A thread that died is started again; meanwhile the commits' own fallback checkpoint keeps the WAL bounded.
    worker.on('exit', () => {
      if (this.#worker === worker) this.#worker = null;
      if (!this.#stopped) this.#restart = setTimeout(() => this.start(), this.everyMs).unref();
    });
    this.#worker = worker;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#restart) clearTimeout(this.#restart);
    const worker = this.#worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('stop');
    await exited;
  }
}
