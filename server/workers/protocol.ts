/** The messages between the pool (main thread) and a worker; one job at a time per worker. */
export type ToWorker =
  | { type: 'run'; id: number; name: string; args: unknown }
  /** The main thread has room for the next chunk of a streaming job. */
  | { type: 'more'; id: number }
  /** The reader went away: stop the job and free the worker. */
  | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'answer'; id: number; json: string }
  | { type: 'chunk'; id: number; text: string }
  | { type: 'end'; id: number }
  | { type: 'failed'; id: number; message: string };

export interface WorkerData {
  databasePath: string;
  /** Characters of text a streaming job sends at a time. */
  chunkChars: number;
}
