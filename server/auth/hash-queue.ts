/**
 * A small line for password hashes. scrypt is the costliest thing a request can ask for (~32 MiB,
 * tens of milliseconds), so a flood of sign-ins must be refused at once rather than queued without
 * bound, where a real nurse's attempt would wait behind hundreds of hashes.
 */
export class HashQueue {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    /** Hashes computed at once (libuv runs them in its thread pool). */
    readonly concurrency: number,
    /** Attempts allowed to wait for a turn; beyond that, `full`. */
    readonly maxWaiting: number,
  ) {}

  /** Whether a new task would be refused: checked before anything else is done for the attempt. */
  get full(): boolean {
    return this.#running >= this.concurrency && this.#waiting.length >= this.maxWaiting;
  }

  /** Runs `task` in its turn. Callers check `full` first, with no await between the check and this call. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.concurrency) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running += 1;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next in line, so `running` never dips while others wait.
      if (next) next();
      else this.#running -= 1;
    }
  }
}
