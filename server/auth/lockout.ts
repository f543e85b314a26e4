import { eq, sql } from 'drizzle-orm';
import type { DB } from '../../db/connection';
import { staff } from '../../db/schema';
import { normaliseUsername } from './staff';

export interface LockoutPolicy {
  /** Consecutive failures that lock a username. */
  maxFailures: number;
  lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMs: 15 * 60_000 };

// Unknown usernames are tracked in memory, bounded so a flood of invented names cannot grow it forever.
const MAX_UNKNOWN_TRACKED = 10_000;

interface Counter {
  failures: number;
  lockedUntil: number | null;
}

/**
 * Per-username lockout. Real accounts keep their counter in `staff` (it survives a restart); unknown
 * usernames get the very same counter in memory, so a lock never tells whether a username exists.
 */
export class LoginLockout {
  readonly #unknown = new Map<string, Counter>();

  constructor(
    private readonly db: DB,
    readonly policy: LockoutPolicy = DEFAULT_LOCKOUT,
  ) {}

  /**
   * Starts a sign-in attempt, before the slow password hash. While the username is locked the attempt
   * is refused (`refusedUntil`, nothing hashed). Otherwise it is counted as a failure at once (a
   * success clears it with `clear`), so attempts hashing side by side see each other: once
   * `maxFailures` are on record the next ones are refused without being hashed, and a right password
   * arriving among them is refused like the others. `locksUntil` is set when this very attempt set the
   * lock (if it then fails, it answers "locked", as the fifth sequential failure does).
   */
  beginAttempt(username: string, now: Date): { refusedUntil: Date } | { refusedUntil: null; locksUntil: Date | null } {
    const refusedUntil = this.lockedUntil(username, now);
    if (refusedUntil) return { refusedUntil };
    // Synchronous, with no await between the check and the count: two attempts cannot both pass the check.
    return { refusedUntil: null, locksUntil: this.recordFailure(username, now) };
  }

  /** When the username is locked at `now`, the time the lock ends; null otherwise. */
  lockedUntil(username: string, now: Date): Date | null {
    const key = normaliseUsername(username);
    const account = this.db.select({ lockedUntil: staff.lockedUntil }).from(staff).where(eq(staff.username, key)).get();
    const until = account ? (account.lockedUntil ? Date.parse(account.lockedUntil) : null) : (this.#unknown.get(key)?.lockedUntil ?? null);
    return until !== null && until > now.getTime() ? new Date(until) : null;
  }

  /** Counts a failure; returns the lock's end when this failure locks the username. */
  recordFailure(username: string, now: Date): Date | null {
    const key = normaliseUsername(username);
    const lockUntil = new Date(now.getTime() + this.policy.lockMs);
    const row = this.db
      .update(staff)
      .set({ failedLogins: sql`${staff.failedLogins} + 1` })
      .where(eq(staff.username, key))
      .returning({ id: staff.id, failedLogins: staff.failedLogins })
      .get();
    if (row) {
      if (row.failedLogins < this.policy.maxFailures) return null;
      // The counter restarts with the lock, so the lock's end gives a fresh set of attempts.
      this.db.update(staff).set({ failedLogins: 0, lockedUntil: lockUntil.toISOString() }).where(eq(staff.id, row.id)).run();
      return lockUntil;
    }
    const counter = this.#unknown.get(key) ?? { failures: 0, lockedUntil: null };
    this.#unknown.delete(key);
    counter.failures += 1;
    if (counter.failures >= this.policy.maxFailures) {
      counter.failures = 0;
      counter.lockedUntil = lockUntil.getTime();
    }
    this.#unknown.set(key, counter);
    if (this.#unknown.size > MAX_UNKNOWN_TRACKED) this.#unknown.delete(this.#unknown.keys().next().value!);
    return counter.lockedUntil === lockUntil.getTime() ? lockUntil : null;
  }

  /** A successful sign-in (or an admin's enable/reset) clears the counter and any lock. */
  clear(staffId: string): void {
    this.db.update(staff).set({ failedLogins: 0, lockedUntil: null }).where(eq(staff.id, staffId)).run();
  }
}
