import { eq, sql } from 'drizzle-orm';
import type { DB } from '../../db/connection';
import { staff } from '../../db/schema';
import type { AccountStore, AttemptStart, LockoutPolicy } from './account-store';
import { normaliseUsername } from './staff';

export type { LockoutPolicy };

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMs: 15 * 60_000 };

// Unknown usernames are tracked in memory, bounded so a flood of invented names cannot grow it forever.
const MAX_UNKNOWN_TRACKED = 10_000;

interface Counter {
  failures: number;
  lockedUntil: number | null;
}

/**
 * Per-username lockout, as the sign-in route sees it: the policy, and the counter its account store
 * keeps (SQLite's below, or PostgreSQL's, which every instance shares).
 */
export class LoginLockout {
  constructor(
    private readonly accounts: AccountStore,
    readonly policy: LockoutPolicy = DEFAULT_LOCKOUT,
  ) {}

  /** See SqliteLockoutCounter.beginAttempt: the same contract on either store. */
  beginAttempt(username: string, now: Date): Promise<AttemptStart> {
    return this.accounts.beginAttempt(normaliseUsername(username), now, this.policy);
  }

  lockedUntil(username: string, now: Date): Promise<Date | null> {
    return this.accounts.lockedUntil(normaliseUsername(username), now);
  }

  /** A successful sign-in clears the counter and any lock. */
  clear(staffId: string): Promise<void> {
    return this.accounts.clearFailures(staffId);
  }
}

/**
 * SQLite's counter, for the one process that serves a unit. Real accounts keep their counter in
 * `staff` (it survives a restart); unknown usernames get the very same counter in memory, so a lock
 * never tells whether a username exists.
 */
export class SqliteLockoutCounter {
  readonly #unknown = new Map<string, Counter>();

  constructor(private readonly db: DB) {}

  /**
   * Starts a sign-in attempt, before the slow password hash. While the username is locked the attempt
   * is refused (`refusedUntil`, nothing hashed). Otherwise it is counted as a failure at once (a
   * success clears it with `clear`), so attempts hashing side by side see each other: once
   * `maxFailures` are on record the next ones are refused without being hashed, and a right password
   * arriving among them is refused like the others. `locksUntil` is set when this very attempt set the
   * lock (if it then fails, it answers "locked", as the fifth sequential failure does).
   */
  beginAttempt(username: string, now: Date, policy: LockoutPolicy): AttemptStart {
    const refusedUntil = this.lockedUntil(username, now);
    if (refusedUntil) return { refusedUntil };
    // Synchronous, with no await between the check and the count: two attempts cannot both pass the check.
    return { refusedUntil: null, locksUntil: this.recordFailure(username, now, policy) };
  }

  /** When the username is locked at `now`, the time the lock ends; null otherwise. */
  lockedUntil(username: string, now: Date): Date | null {
    const key = normaliseUsername(username);
    const account = this.db.select({ lockedUntil: staff.lockedUntil }).from(staff).where(eq(staff.username, key)).get();
    const until = account ? (account.lockedUntil ? Date.parse(account.lockedUntil) : null) : (this.#unknown.get(key)?.lockedUntil ?? null);
    return until !== null && until > now.getTime() ? new Date(until) : null;
  }

  /** Counts a failure; returns the lock's end when this failure locks the username. */
  recordFailure(username: string, now: Date, policy: LockoutPolicy): Date | null {
    const key = normaliseUsername(username);
    const lockUntil = new Date(now.getTime() + policy.lockMs);
    const row = this.db
      .update(staff)
      .set({ failedLogins: sql`${staff.failedLogins} + 1` })
      .where(eq(staff.username, key))
      .returning({ id: staff.id, failedLogins: staff.failedLogins })
      .get();
    if (row) {
      if (row.failedLogins < policy.maxFailures) return null;
      // The counter restarts with the lock, so the lock's end gives a fresh set of attempts.
      this.db.update(staff).set({ failedLogins: 0, lockedUntil: lockUntil.toISOString() }).where(eq(staff.id, row.id)).run();
      return lockUntil;
    }
    const counter = this.#unknown.get(key) ?? { failures: 0, lockedUntil: null };
    this.#unknown.delete(key);
    counter.failures += 1;
    if (counter.failures >= policy.maxFailures) {
      counter.failures = 0;
      counter.lockedUntil = lockUntil.getTime();
    }
    this.#unknown.set(key, counter);
    if (this.#unknown.size > MAX_UNKNOWN_TRACKED) this.#unknown.delete(this.#unknown.keys().next().value!);
    return counter.lockedUntil === lockUntil.getTime() ? lockUntil : null;
  }
}
