import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { JOBS, readConnection } from './jobs';
import type { WorkerData } from './protocol';
import { serveJobs, type BoundJob } from './worker-loop';

// Exports are background work: on Linux a thread's nice value is its own, so this worker thread alone
// yields the cores to the event loop (commands, boards, health probes) whenever both want them.
try {
  setPriority(19);
} catch {
  // A platform that refuses it runs the worker at normal priority: slower for others, still correct.
}

const { databasePath } = workerData as WorkerData;
// Read-only: a worker can never write the log. WAL lets it read a consistent snapshot while the server writes.
const sqlite = new Database(databasePath, { readonly: true, fileMustExist: true });
sqlite.pragma('busy_timeout = 5000');
// An export reads each page of its range once, and the system's page cache keeps the file anyway: the
// driver's default 16 MB page cache per connection would only hold memory while the worker lives.
sqlite.pragma('cache_size = -2000');
const db = readConnection(sqlite);

const bound = Object.fromEntries(
  Object.entries(JOBS).map(([name, job]) => [name, { kind: job.kind, run: (args: unknown) => job.run(db, args as never) } as BoundJob]),
);
serveJobs(bound, () => sqlite.close());
