import { parentPort, workerData } from 'node:worker_threads';
import { isDatabaseUnavailable } from '../http/database-unavailable';
import type { FromWorker, ToWorker, WorkerData } from './protocol';

/** A job as a worker runs it, bound to the worker's connection: an answer, or text pieces to stream. */
export type BoundJob =
  | { kind: 'answer'; run: (args: unknown) => unknown }
  | { kind: 'stream'; run: (args: unknown) => Iterable<string> | AsyncIterable<string> };

interface Running {
  id: number;
  pieces: Iterator<string> | AsyncIterator<string>;
}

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> => typeof (value as Promise<T> | undefined)?.then === 'function';

/**
 * The message loop of a report worker, whichever store it reads: one job at a time, an answer as JSON
 * text, a stream one chunk at a time as the main thread asks for it. `close` ends the worker's
 * connections when the pool stops it for being idle.
 */
export function serveJobs(jobs: Record<string, BoundJob>, close: () => unknown) {
  const port = parentPort!;
  const { chunkChars } = workerData as WorkerData;
  const post = (message: FromWorker) => port.postMessage(message);
  let running: Running | null = null;

  const fail = (id: number, error: unknown) => {
    if (running?.id === id) running = null;
    post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error), unavailable: isDatabaseUnavailable(error) });
  };

  // A SQLite walk yields at once and is read without a turn of the loop; a PostgreSQL one awaits each page.
  async function nextChunk(job: Running) {
    let text = '';
    while (text.length < chunkChars) {
      const next = job.pieces.next();
      const step = isPromise(next) ? await next : next;
      // Cancelled while a page was being read: the reader is gone, nothing more is sent.
      if (running !== job) {
        await job.pieces.return?.();
        return;
      }
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

  async function run(id: number, name: string, args: unknown) {
    const job = jobs[name];
    try {
      if (!job) throw new Error(`no job named ${name}`);
      if (job.kind === 'answer') {
        const result = job.run(args);
        // As JSON text: a year's report as objects would be copied to the main thread and serialised
        // again there, holding the event loop for about 100 ms.
        post({ type: 'answer', id, json: JSON.stringify(isPromise(result) ? await result : result) });
        return;
      }
      const pieces = job.run(args);
      running = { id, pieces: Symbol.asyncIterator in pieces ? pieces[Symbol.asyncIterator]() : pieces[Symbol.iterator]() };
      await nextChunk(running);
    } catch (error) {
      fail(id, error);
    }
  }

  port.on('message', (message: ToWorker) => {
    if (message.type === 'stop') {
      void Promise.resolve(close()).finally(() => port.close());
      return;
    }
    if (message.type === 'run') {
      void run(message.id, message.name, message.args);
      return;
    }
    const job = running;
    if (job?.id !== message.id) return;
    if (message.type === 'cancel') {
      running = null;
      // Closes the statement the walk holds, so the connection is free for the next job.
      void Promise.resolve(job.pieces.return?.()).catch(() => {});
      return;
    }
    nextChunk(job).catch((error: unknown) => fail(message.id, error));
  });

  post({ type: 'ready' });
}
