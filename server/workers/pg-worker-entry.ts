import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
import pg from 'pg';
import { connectionConfig } from '../../db/pg/connection-config';
import { PgEventStore } from '../../db/pg/event-store';
import { PgReports } from '../reports/pg-reports';
import { PG_JOBS } from './pg-jobs';
import { REPORT_WORKER_APPLICATION, type WorkerData } from './protocol';
import { serveJobs, type BoundJob } from './worker-loop';

// One job at a time reads one page at a time; the second connection covers the turnover's read.
const WORKER_CONNECTIONS = 2;

try {
  setPriority(19);
} catch {
  // As SQLite's worker: at normal priority where the platform refuses, slower for others, still correct.
}

const { databaseUrl } = workerData as WorkerData;
// Parsing a page's states and writing its CSV lines is the cost: here, not on the event loop. The idle
// connections are kept while the worker lives (it is stopped after REPORT_WORKER_IDLE_SECONDS, and
// closes them then).
const pool = new pg.Pool(connectionConfig(databaseUrl!, { max: WORKER_CONNECTIONS, idleTimeoutMillis: 0, application_name: REPORT_WORKER_APPLICATION }));
// A connection the server closes while idle (a restart) is dropped by the pool; unheard, it would end the worker.
pool.on('error', () => {});
const reports = new PgReports(pool, new PgEventStore(pool));

const bound = Object.fromEntries(
  Object.entries(PG_JOBS).map(([name, job]) => [name, { kind: job.kind, run: (args: unknown) => job.run(reports, args as never) } as BoundJob]),
);
serveJobs(bound, () => pool.end());
