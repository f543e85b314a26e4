import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { JOBS, readConnection, type AnswerJob, type StreamJob } from './jobs';
import type { FromWorker, ToWorker, WorkerData } from './protocol';

// Exports are background work: on Linux a thread's nice value is its own, so this worker thread alone
// yields the cores to the event loop (commands, boards, health probes) whenever both want them.
try {
  setPriority(19);
} catch {
  // A platform that refuses it runs the worker at normal priority: slower for others, still correct.
}

const port = parentPort!;
const { databasePath, chunkChars } = workerData as WorkerData;
// Read-only: a worker can never write the log. WAL lets it read a consistent snapshot while the server writes.
const sqlite = new Database(databasePath, { readonly: true, fileMustExist: true });
sqlite.pragma('busy_timeout = 5000');
// An export reads each page of its range once, and the system's page cache keeps the file anyway: the
// driver's default 16 MB page cache per connection would only hold memory while the worker lives.
sqlite.pragma('cache_size = -2000');
const db = readConnection(sqlite);

const post = (message: FromWorker) => port.postMessage(message);

interface Running {
  id: number;
  pieces: Iterator<string>;
}
let running: Running | null = null;

function nextChunk(job: Running) {
  let text = '';
  while (text.length < chunkChars) {
    const step = job.pieces.next();
    if (step.done) {
      if (text) post({ type: 'chunk', id: job.id, text });
      post({ type: 'end', id: job.id });
      running = null;
      return;
    }
    text += step.value;
  }
  post({ type: 'chunk', id: job.id, text });
}

function fail(id: number, error: unknown) {
  running = null;
  post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) });
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'run') {
    const job = JOBS[message.name as keyof typeof JOBS] as AnswerJob<unknown, unknown> | StreamJob<unknown> | undefined;
    try {
      if (!job) throw new Error(`no job named ${message.name}`);
      if (job.kind === 'answer') {
        // As JSON text: a year's report as objects would be copied to the main thread and serialised
        // again there, holding the event loop for about 100 ms.
        post({ type: 'answer', id: message.id, json: JSON.stringify(job.run(db, message.args)) });
        return;
      }
      running = { id: message.id, pieces: job.run(db, message.args)[Symbol.iterator]() };
      nextChunk(running);
    } catch (error) {
      fail(message.id, error);
    }
    return;
  }
  if (running?.id !== message.id) return;
  if (message.type === 'cancel') {
    // Closes the statement the walk holds, so the connection is free for the next job.
    running.pieces.return?.();
    running = null;
    return;
  }
  try {
    nextChunk(running);
  } catch (error) {
    fail(message.id, error);
  }
});

post({ type: 'ready' });
