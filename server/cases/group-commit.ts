import { TransactionAborted, type Store, type StoreTransaction } from '../../db/store';

interface Job<T> {
  work: (tx: StoreTransaction) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit. With synchronous=FULL (SQLite) or synchronous_commit=on (PostgreSQL) every commit
 * waits for the disk, and that wait, not the domain logic, bounds how many commands a second the unit
 * can record. Commands that arrive in the same tick run one after the other inside ONE
 * `store.transaction`, each in its own `tx.savepoint` (a refused command rolls back alone), and share
 * the single flush of the outer commit. Nobody is answered before that commit: an acknowledged command
 * is on disk. Two levels and no more: the group's transaction and the command's savepoint (a command's
 * own work opens none inside it). While a group is committing (PostgreSQL's commit is a round trip
 * away), the commands arriving meanwhile wait to form the next group.
 */
export class GroupCommit {
  #queue: Job<unknown>[] = [];
  #scheduled = false;
  #flushing = false;

  constructor(private readonly store: Store) {}

  run<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve, reject } as Job<unknown>);
      this.#schedule();
    });
  }

  #schedule() {
    if (this.#scheduled || this.#flushing || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => void this.#flush());
  }

  async #flush() {
    this.#scheduled = false;
    this.#flushing = true;
    const jobs = this.#queue;
    this.#queue = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await this.store.transaction(async (tx) => {
        for (const job of jobs) {
          try {
            outcomes.push({ ok: true, value: await tx.savepoint(() => job.work(tx)) });
          } catch (error) {
            // The store lost the whole transaction (disk full, I/O error, a dropped connection).
            // Running the next job now would store it outside this group, and it would be answered
            // as lost although stored: stop, and fail the whole group with this job's error (not an
            // earlier job's ordinary refusal).
            if (error instanceof TransactionAborted) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed, or the transaction was lost: nothing of this group is stored.
      const cause = error instanceof TransactionAborted ? error.reason : error;
      for (const job of jobs) job.reject(cause);
      return;
    } finally {
      this.#flushing = false;
      this.#schedule();
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}
