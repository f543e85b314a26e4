import type pg from 'pg';
import type { AccountStore, AttemptStart, LockoutPolicy, SessionRow, SignInAccount } from './account-store';
import { normaliseUsername } from './staff';

const SQL = {
  account: 'select id, username, display_name as "displayName", role, active, password_hash as "passwordHash", must_change_password as "mustChangePassword" from staff',
  session: {
    name: 'sessions_resolve',
    text: `select s.created_at as "createdAt", s.last_seen_at as "lastSeenAt", a.id, a.display_name as name, a.role, a.active,
           a.must_change_password as "mustChangePassword"
           from sessions s join staff a on a.id = s.staff_id where s.token_hash = $1 and s.revoked_at is null`,
  },
  // One statement per attempt: the row's lock orders attempts of every instance on the same username,
  // and READ COMMITTED re-checks the lock condition on the row the previous attempt left.
  countAccount: {
    name: 'staff_count_failure',
    text: `update staff set
             failed_logins = case when failed_logins + 1 >= $2 then 0 else failed_logins + 1 end,
             locked_until = case when failed_logins + 1 >= $2 then $3 else locked_until end
           where username = $1 and (locked_until is null or locked_until <= $4)
           returning locked_until = $3 as locks`,
  },
  countUnknown: {
    name: 'login_failures_count',
    text: `insert into login_failures as f (username, failures, locked_until, updated_at)
           values ($1, case when 1 >= $2 then 0 else 1 end, case when 1 >= $2 then $3 end, $4)
           on conflict (username) do update set
             failures = case when f.failures + 1 >= $2 then 0 else f.failures + 1 end,
             locked_until = case when f.failures + 1 >= $2 then $3 else f.locked_until end,
             updated_at = $4
           where f.locked_until is null or f.locked_until <= $4
           returning coalesce(f.locked_until = $3, false) as locks`,
  },
  lockOf: {
    name: 'login_lock_of',
    text: `select (select locked_until from staff where username = $1) as account,
                  exists (select 1 from staff where username = $1) as known,
                  (select locked_until from login_failures where username = $1) as unknown`,
  },
} as const;

/** Counters of unknown usernames untouched this long are forgotten (a lock lasts minutes). */
const FORGET_UNKNOWN_MS = 24 * 3_600_000;

/**
 * The accounts on PostgreSQL, shared by every instance: a session opened through one instance is
 * resolved, touched and revoked by any other, and failed sign-ins count together wherever they land.
 */
export class PgAccounts implements AccountStore {
  constructor(private readonly pool: pg.Pool) {}

  async #one<T>(text: string, values: unknown[]): Promise<T | null> {
    return ((await this.pool.query(text, values)).rows[0] as T | undefined) ?? null;
  }

  accountOf(username: string) {
    return this.#one<SignInAccount>(`${SQL.account} where username = $1`, [normaliseUsername(username)]);
  }
  accountById(id: string) {
    return this.#one<SignInAccount>(`${SQL.account} where id = $1`, [id]);
  }
  async addSession(tokenHash: string, staffId: string, at: string) {
    await this.pool.query('insert into sessions (token_hash, staff_id, created_at, last_seen_at) values ($1, $2, $3, $3)', [tokenHash, staffId, at]);
  }
  async sessionOf(tokenHash: string) {
    return ((await this.pool.query<SessionRow>({ ...SQL.session, values: [tokenHash] })).rows[0] as SessionRow | undefined) ?? null;
  }
  async touchSession(tokenHash: string, at: string) {
    await this.pool.query('update sessions set last_seen_at = $2 where token_hash = $1', [tokenHash, at]);
  }
  async revokeSession(tokenHash: string, at: string) {
    await this.pool.query('update sessions set revoked_at = $2 where token_hash = $1', [tokenHash, at]);
  }
  async revokeSessionsSignedInBefore(before: string, at: string) {
    await this.pool.query('update sessions set revoked_at = $2 where revoked_at is null and created_at < $1', [before, at]);
    await this.pool.query('delete from login_failures where updated_at < $1 and (locked_until is null or locked_until < $2)', [
      new Date(Date.parse(at) - FORGET_UNKNOWN_MS).toISOString(),
      at,
    ]);
  }
  displayTokenOf(tokenHash: string) {
    return this.#one<{ id: string; name: string; createdAt: string; lastSeenAt: string | null }>(
      'select id, name, created_at as "createdAt", last_seen_at as "lastSeenAt" from display_tokens where token_hash = $1 and revoked_at is null',
      [tokenHash],
    );
  }
  async touchDisplayToken(id: string, at: string) {
    await this.pool.query('update display_tokens set last_seen_at = $2 where id = $1', [id, at]);
  }

  async beginAttempt(username: string, now: Date, policy: LockoutPolicy): Promise<AttemptStart> {
    const lockUntil = new Date(now.getTime() + policy.lockMs);
    const values = [username, policy.maxFailures, lockUntil.toISOString(), now.toISOString()];
    // A lock that ends between the count and the look that follows it is counted on the next pass.
    for (;;) {
      const known = await this.#one<{ locks: boolean }>(SQL.countAccount.text, values);
      if (known) return { refusedUntil: null, locksUntil: known.locks ? lockUntil : null };
      const lock = await this.#lockOf(username);
      if (!lock.known) {
        const counted = await this.#one<{ locks: boolean }>(SQL.countUnknown.text, values);
        if (counted) return { refusedUntil: null, locksUntil: counted.locks ? lockUntil : null };
      }
      const until = await this.lockedUntil(username, now);
      if (until) return { refusedUntil: until };
    }
  }

  async #lockOf(username: string) {
    const { rows } = await this.pool.query<{ account: string | null; known: boolean; unknown: string | null }>({ ...SQL.lockOf, values: [username] });
    return rows[0]!;
  }

  async lockedUntil(username: string, now: Date): Promise<Date | null> {
    const lock = await this.#lockOf(username);
    const until = lock.known ? lock.account : lock.unknown;
    return until !== null && Date.parse(until) > now.getTime() ? new Date(until) : null;
  }

  async clearFailures(staffId: string) {
    await this.pool.query('update staff set failed_logins = 0, locked_until = null where id = $1', [staffId]);
  }

  async changeOwnPassword(id: string, passwordHash: string, keepSessionHash: string, now: Date): Promise<boolean> {
    const client = await this.pool.connect();
    const at = now.toISOString();
    try {
      await client.query('begin');
      const { rows } = await client.query<{ username: string; wasOneTime: boolean }>(
        `update staff s set password_hash = $2, must_change_password = false from staff old_row
         where s.id = $1 and old_row.id = s.id returning s.username, old_row.must_change_password as "wasOneTime"`,
        [id, passwordHash],
      );
      const account = rows[0];
      if (!account) {
        await client.query('rollback');
        return false;
      }
      await client.query('update sessions set revoked_at = $3 where staff_id = $1 and revoked_at is null and token_hash <> $2', [id, keepSessionHash, at]);
      await client.query(
        `insert into account_audit (at, actor_id, actor, action, target_id, target_username, details) values ($1, $2, $3, 'password_changed', $2, $3, $4::jsonb)`,
        [at, id, account.username, JSON.stringify({ wasOneTime: account.wasOneTime })],
      );
      await client.query('commit');
      return true;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}
