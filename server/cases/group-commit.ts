import type Database from 'better-sqlite3';

/** Thrown out of the outer transaction when SQLite has already rolled it back under us. */
class GroupAborted extends Error {
  constructor(readonly reason: unknown) {
    super('group commit rolled back by SQLite');
  }
}

interface Job<T> {
  work: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit. With synchronous=FULL every commit waits for the disk, and that wait, not the
 * domain logic, bounds how many commands a second the unit can record. Commands that arrive in the
 * same tick run one after the other inside ONE transaction, each in its own savepoint (a refused
 * command rolls back alone), and share the single fsync of the outer commit. Nobody is answered
 * before that commit: an acknowledged command is on disk. Two levels and no more: the group's
 * transaction and the command's savepoint (a command's own work opens none inside it).
 */
export class GroupCommit {
  #queue: Job<unknown>[] = [];
  #scheduled = false;

  constructor(private readonly sqlite: Database.Database) {}

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve, reject } as Job<unknown>);
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush() {
    this.#scheduled = false;
    const jobs = this.#queue;
    this.#queue = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.sqlite
        .transaction(() => {
          for (const job of jobs) {
            try {
              // A nested better-sqlite3 transaction is a savepoint: a throw undoes this job only.
              outcomes.push({ ok: true, value: this.sqlite.transaction(job.work)() });
            } catch (error) {
              // A fatal error (disk full, I/O error) makes SQLite roll back the whole outer
              // transaction. Running the next job now would commit it on its own, outside this group,
              // and it would be answered as lost although stored: stop, and fail the whole group
              // with this job's error (not an earlier job's ordinary refusal).
              if (!this.sqlite.inTransaction) throw new GroupAborted(error);
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of this group is stored.
      const cause = error instanceof GroupAborted ? error.reason : error;
      for (const job of jobs) job.reject(cause);
      return;
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}
