import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { databaseUnavailable } from '../http/database-unavailable';
import { Problem } from '../http/problem';
import type { AnswerJobName, JobArgs, JobResult, StreamJobName } from './jobs';
import type { FromWorker, ToWorker, WorkerData } from './protocol';
import { workerCode } from './worker-code';

/** JSON text of a `T`: what `JSON.stringify` gave for it in the worker (`parseJson` reads it back typed). */
export type JsonText<T> = string & { readonly __json: T };
export const parseJson = <T>(text: JsonText<T>): T => JSON.parse(text) as T;

/** Seconds a client is told to wait before asking again, when the pool is full or a worker died. */
export const RETRY_AFTER_SECONDS = 5;

// Big enough that the per-message cost is small beside the rows, small enough that a reader that
// stops reading leaves about one chunk in the main thread's memory.
export const DEFAULT_CHUNK_CHARS = 64 * 1024;

const WORKER_YOUNG_GENERATION_MB = 4;
// An idle worker asked to stop closes its connections first; one that does not end by then is terminated.
const STOP_GRACE_MS = 5_000;

const busy = () => new Problem(503, 'server_busy', { key: 'problem.reports_busy' }, { retryAfterSeconds: RETRY_AFTER_SECONDS });
const interrupted = () => new Problem(503, 'report_interrupted', { key: 'problem.report_interrupted' }, { retryAfterSeconds: RETRY_AFTER_SECONDS });

interface Job {
  id: number;
  name: string;
  args: unknown;
  kind: 'answer' | 'stream';
  /** Settles the caller's promise: the answer, or the stream once its first chunk is in. */
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  stream?: JobStream;
  /** The caller holds the stream: a failure from now on is the stream's error, not a rejection. */
  handedOut?: boolean;
}

interface Slot {
  /** Null while the worker's code is being compiled (the first start of the process). */
  worker: Worker | null;
  ready: boolean;
  job: Job | null;
  /** Stops the worker once it has been idle for `idleMs`. */
  idleTimer?: NodeJS.Timeout;
}

export interface PoolOptions {
  databasePath: string;
  /**
   * PostgreSQL (postgres://…): each worker opens a pool of two connections of its own instead of the
   * SQLite file, and closes it when it is stopped.
   */
  databaseUrl?: string | null;
  /** Workers at most, each with its own read-only connection; started on the first job. */
  size: number;
  /** Jobs allowed to wait for a free worker; beyond that a request is refused with a 503 at once. */
  maxQueued: number;
  /** Characters of text a streaming job sends at a time (DEFAULT_CHUNK_CHARS). */
  chunkChars?: number;
  /**
   * A worker left without a job this long is stopped, and the memory its thread held (its own heap,
   * its connection's page cache: tens of MB) goes back to the system; the next job starts one again
   * in a fraction of a second. Exports are occasional; memory is held all day.
   */
  idleMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * A small pool of worker threads for the heavy reads (exports, range reports): the event loop keeps
 * serving commands, boards and health checks while a year is read. A worker that dies fails its own
 * job with a 503 and is replaced; nothing waits on it forever.
 * Emits 'dispatch' (worker, job name) each time a job is handed to a worker.
 */
export class WorkerPool extends EventEmitter {
  readonly #options: PoolOptions;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextId = 1;
  #closed = false;

  constructor(options: PoolOptions) {
    super();
    this.#options = options;
  }

  /** Worker threads running now (started, or starting). */
  get workers(): number {
    return this.#slots.length;
  }

  /** Jobs running or waiting. */
  get load(): number {
    return this.#slots.filter((s) => s.job).length + this.#queue.length;
  }

  /**
   * The job's answer as JSON text, serialised in the worker: the route sends it as it is (a year's report
   * parsed back into objects and serialised again on the event loop held every board for ~100 ms).
   */
  answer<K extends AnswerJobName>(name: K, args: JobArgs<K>): Promise<JsonText<JobResult<K>>> {
    return this.#submit(name, args, 'answer') as Promise<JsonText<JobResult<K>>>;
  }

  /** A readable of the job's text, once its first piece has arrived (a failure before then rejects with a problem). */
  stream<K extends StreamJobName>(name: K, args: JobArgs<K>): Promise<Readable> {
    return this.#submit(name, args, 'stream') as Promise<Readable>;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const slot of this.#slots) clearTimeout(slot.idleTimer);
    for (const job of this.#queue.splice(0)) job.reject(interrupted());
    await Promise.all(this.#slots.map((slot) => slot.worker?.terminate()));
  }

  #submit(name: string, args: unknown, kind: Job['kind']): Promise<unknown> {
    if (this.#closed) return Promise.reject(interrupted());
    const idle = this.#slots.some((s) => s.ready && !s.job) || this.#slots.length < this.#options.size;
    if (!idle && this.#queue.length >= this.#options.maxQueued) return Promise.reject(busy());
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, name, args, kind, resolve, reject });
      this.#dispatch();
    });
  }

  #dispatch() {
    while (this.#queue.length > 0) {
      const slot = this.#slots.find((s) => s.ready && !s.job);
      if (!slot) {
        if (this.#slots.length < this.#options.size) this.#spawn();
        return;
      }
      const job = this.#queue.shift()!;
      clearTimeout(slot.idleTimer);
      slot.job = job;
      if (job.kind === 'stream') job.stream = new JobStream(() => this.#more(slot, job), () => this.#cancel(slot, job));
      this.#post(slot, { type: 'run', id: job.id, name: job.name, args: job.args });
      this.emit('dispatch', slot.worker!, job.name);
    }
  }

  #post(slot: Slot, message: ToWorker) {
    slot.worker!.postMessage(message);
  }

  #spawn() {
    const slot: Slot = { worker: null, ready: false, job: null };
    this.#slots.push(slot);
    const databaseUrl = this.#options.databaseUrl ?? null;
    workerCode(databaseUrl ? 'postgres' : 'sqlite').then(
      (code) => {
        if (this.#closed) return;
        const workerData: WorkerData = { databasePath: this.#options.databasePath, databaseUrl, chunkChars: this.#options.chunkChars ?? DEFAULT_CHUNK_CHARS };
        // A job's garbage is short-lived rows: a small young generation keeps the thread's heap small.
        const worker = new Worker(code, { workerData, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
        slot.worker = worker;
        worker.on('message', (message: FromWorker) => this.#receive(slot, message));
        worker.on('error', (error) => this.#options.onError?.(error));
        worker.on('exit', () => this.#exited(slot));
      },
      (error: unknown) => {
        this.#options.onError?.(error);
        this.#exited(slot);
      },
    );
  }

  #receive(slot: Slot, message: FromWorker) {
    if (!this.#slots.includes(slot)) return;
    if (message.type === 'ready') {
      slot.ready = true;
      this.#dispatch();
      if (!slot.job) this.#stopWhenIdle(slot);
      return;
    }
    const job = slot.job;
    if (!job || job.id !== message.id) return;
    switch (message.type) {
      case 'answer':
        this.#free(slot);
        job.resolve(message.json);
        return;
      case 'chunk':
        job.stream!.deliver(message.text);
        this.#handOut(job);
        return;
      case 'end':
        this.#free(slot);
        job.stream!.finish();
        this.#handOut(job);
        return;
      case 'failed':
        this.#free(slot);
        this.#fail(job, message.unavailable ? databaseUnavailable() : new Error(`report job ${job.name} failed: ${message.message}`));
    }
  }

  #handOut(job: Job) {
    job.handedOut = true;
    job.resolve(job.stream);
  }

  /** Before the first chunk the caller's promise rejects (a problem can still be answered); after it, the stream errors. */
  #fail(job: Job, error: Error) {
    if (job.handedOut) job.stream!.destroy(error);
    else {
      job.stream?.destroy();
      job.reject(error);
    }
  }

  /** The worker is free for the next job (its stream, if any, was read to the end or given up). */
  #free(slot: Slot) {
    slot.job = null;
    this.#dispatch();
    if (!slot.job) this.#stopWhenIdle(slot);
  }

  #stopWhenIdle(slot: Slot) {
    const idleMs = this.#options.idleMs;
    if (idleMs === undefined || this.#closed) return;
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      if (slot.job || !this.#slots.includes(slot)) return;
      // Out of the pool first: no job can be handed to a worker that is stopping.
      this.#slots.splice(this.#slots.indexOf(slot), 1);
      const worker = slot.worker;
      if (!worker) return;
      // Asked first, so that it ends its connections itself (a PostgreSQL worker's are the database's too).
      worker.postMessage({ type: 'stop' } satisfies ToWorker);
      setTimeout(() => void worker.terminate(), STOP_GRACE_MS).unref();
    }, idleMs);
    // An idle worker's timer must not keep a process alive that has nothing else to do.
    slot.idleTimer.unref();
  }

  /** A stream's reader went away: the worker drops the job and takes the next. */
  #cancel(slot: Slot, job: Job) {
    if (slot.job !== job) return;
    this.#post(slot, { type: 'cancel', id: job.id });
    this.#free(slot);
  }

  #more(slot: Slot, job: Job) {
    if (slot.job === job) this.#post(slot, { type: 'more', id: job.id });
  }

  #exited(slot: Slot) {
    clearTimeout(slot.idleTimer);
    const index = this.#slots.indexOf(slot);
    if (index < 0) return;
    this.#slots.splice(index, 1);
    const job = slot.job;
    slot.job = null;
    if (job) this.#fail(job, interrupted());
    if (this.#closed) return;
    // A worker that died before it could even open the database would die again: the waiting jobs
    // are answered now rather than looping on new workers; the next request tries afresh.
    if (!slot.ready) {
      for (const waiting of this.#queue.splice(0)) waiting.reject(interrupted());
      return;
    }
    this.#dispatch();
  }
}

/**
 * The main thread's end of a streaming job: it asks the worker for the next chunk only when the
 * reader has taken the last one, so a slow client holds one chunk in memory, not the whole file.
 */
class JobStream extends Readable {
  #awaiting = true;
  #done = false;

  constructor(
    private readonly askWorker: () => void,
    private readonly cancelJob: () => void,
  ) {
    super();
    // A worker may die while the stream changes hands: its error must end the response, never the process.
    this.on('error', () => {});
  }

  deliver(text: string) {
    this.#awaiting = false;
    if (this.push(text)) this.#askMore();
  }

  finish() {
    this.#done = true;
    this.push(null);
  }

  override _read() {
    if (!this.#awaiting && !this.#done) this.#askMore();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    if (!this.#done) {
      this.#done = true;
      this.cancelJob();
    }
    callback(error);
  }

  #askMore() {
    this.#awaiting = true;
    this.askWorker();
  }
}
