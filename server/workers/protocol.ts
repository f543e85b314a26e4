/** The messages between the pool (main thread) and a worker; one job at a time per worker. */
export type ToWorker =
  | { type: 'run'; id: number; name: string; args: unknown }
  /** The main thread has room for the next chunk of a streaming job. */
  | { type: 'more'; id: number }
  /** The reader went away: stop the job and free the worker. */
  | { type: 'cancel'; id: number }
  /** The worker has been idle long enough: close its connections and end. */
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'answer'; id: number; json: string }
  | { type: 'chunk'; id: number; text: string }
  | { type: 'end'; id: number }
  /** `unavailable`: the database could not be reached (503 database_unavailable rather than report_interrupted). */
  | { type: 'failed'; id: number; message: string; unavailable: boolean };

export interface WorkerData {
  /** The SQLite file the worker opens read-only, when databaseUrl is null. */
  databasePath: string;
  /** PostgreSQL (postgres://…): the worker opens a small pool of its own on it instead. */
  databaseUrl: string | null;
  /** Characters of text a streaming job sends at a time. */
  chunkChars: number;
}

/** How a PostgreSQL worker's connections show in pg_stat_activity, apart from the instance's own pool. */
export const REPORT_WORKER_APPLICATION = 'cryoday-reports';
