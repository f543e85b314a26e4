/** A place taken before the attempt's first await: run its hash once, or release it. */
export interface HashPlace {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Gives the place back when the attempt ends before its hash (a lock refused it); nothing once it ran. */
  release(): void;
}

/**
 * A small line for password hashes. scrypt is the costliest thing a request can ask for (~32 MiB,
 * tens of milliseconds), so a flood of sign-ins must be refused at once rather than queued without
 * bound, where a real nurse's attempt would wait behind hundreds of hashes.
 */
export class HashQueue {
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  // Attempts reading the lockout and the account before their hash. On PostgreSQL those reads are
  // round trips (one username's attempts take turns on its row), so a whole flood passed the line's
  // check before any of it had queued; counted here, at most `maxReading` can join the line late.
  #reading = 0;

  constructor(
    /** Hashes computed at once (libuv runs them in its thread pool). */
    readonly concurrency: number,
    /** Attempts allowed to wait for a turn; beyond that, `full`. */
    readonly maxWaiting: number,
    /** Attempts allowed to read the database before their turn (`reserve`). */
    readonly maxReading = 0,
  ) {}

  /** Whether a new task would be refused: checked before anything else is done for the attempt. */
  get full(): boolean {
    return this.#running >= this.concurrency && this.#waiting.length >= this.maxWaiting;
  }

  /**
   * A place for an attempt that reads before its hash, or null when the line is full or `maxReading`
   * attempts are reading already: checked and taken with no await between.
   */
  reserve(): HashPlace | null {
    if (this.full || this.#reading >= this.maxReading) return null;
    this.#reading += 1;
    let held = true;
    const release = () => {
      if (held) {
        held = false;
        this.#reading -= 1;
      }
    };
    return {
      run: (task) => {
        release();
        return this.run(task);
      },
      release,
    };
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
