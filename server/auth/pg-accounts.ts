import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { CLI_ACTOR, displayNameTaken, type AccountAuditEntry, type StaffAccount } from '../../shared';
import type { AuditActor, AuditRecord } from './account-audit';
import { AUDIT_PAGE_MAX } from './account-audit';
import type { AccountStore, AttemptStart, DisplayTokenInfo, LockoutPolicy, SessionRow, SignInAccount } from './account-store';
import { newDisplayToken } from './display-tokens';
import { hashPassword } from './passwords';
import {
  DisplayNameTakenError,
  LastActiveAdminError,
  UsernameTakenError,
  normaliseUsername,
  type AccountOptions,
  type NewStaff,
} from './staff';

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

const STAFF_INFO = `select id, username, display_name as "displayName", role, active, created_at as "createdAt",
  locked_until as "lockedUntil", must_change_password as "mustChangePassword" from staff`;
const AUDIT = `select seq, at, actor_id as "actorId", actor, action, target_id as "targetId", target_username as "targetUsername", details from account_audit`;
const TOKEN_INFO = `select id, name, created_at as "createdAt", last_seen_at as "lastSeenAt", revoked_at as "revokedAt" from display_tokens`;

// Held by every account change to its commit: the checks (a name taken, the last admin) then read what
// the previous change of any instance committed, as SQLite's one writer does.
const ADMINISTRATION_LOCK = [1128423503, 1] as const;

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
    const changed = await this.#administer(async (tx) => {
      const account = await info(tx, id);
      if (!account) return null;
      await tx.query('update staff set password_hash = $2, must_change_password = false where id = $1', [id, passwordHash]);
      await tx.query('update sessions set revoked_at = $3 where staff_id = $1 and revoked_at is null and token_hash <> $2', [id, keepSessionHash, now.toISOString()]);
      await audit(tx, account, { action: 'password_changed', target: account, details: { wasOneTime: account.mustChangePassword } }, now);
      return account;
    });
    return changed !== null;
  }

  /** One account change: its checks, its writes and its audit entry in one transaction, one change at a time. */
  async #administer<T>(work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await client.query('select pg_advisory_xact_lock($1, $2)', [...ADMINISTRATION_LOCK]);
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async listStaff() {
    return (await this.pool.query<StaffAccount>(`${STAFF_INFO} order by username`)).rows;
  }
  staffInfo(id: string) {
    return info(this.pool, id);
  }
  staffOfUsername(username: string) {
    return this.#one<StaffAccount>(`${STAFF_INFO} where username = $1`, [normaliseUsername(username)]);
  }

  async createStaff(input: NewStaff, options: AccountOptions = {}): Promise<StaffAccount> {
    const now = options.now ?? new Date();
    const username = normaliseUsername(input.username);
    const displayName = input.displayName.trim();
    const passwordHash = 'passwordHash' in input ? input.passwordHash : await hashPassword(input.password);
    return this.#administer(async (tx) => {
      if ((await tx.query('select 1 from staff where username = $1', [username])).rows.length > 0) throw new UsernameTakenError(username);
      if (displayNameTaken(displayName, await activeNames(tx))) throw new DisplayNameTakenError(displayName);
      const id = randomUUID();
      await tx.query(
        `insert into staff (id, username, display_name, role, password_hash, active, created_at, must_change_password)
         values ($1, $2, $3, $4, $5, true, $6, $7)`,
        [id, username, displayName, input.role, passwordHash, now.toISOString(), options.oneTime ?? false],
      );
      if (options.by) await audit(tx, options.by, { action: 'created', target: { id, username }, details: { role: input.role, displayName } }, now);
      return (await info(tx, id))!;
    });
  }

  setStaffActive(id: string, active: boolean, options: AccountOptions & { keepAnAdmin?: boolean } = {}): Promise<StaffAccount | null> {
    const now = options.now ?? new Date();
    return this.#administer(async (tx) => {
      const account = await info(tx, id);
      if (!account) return null;
      if (active && !account.active && displayNameTaken(account.displayName, await activeNames(tx), id)) throw new DisplayNameTakenError(account.displayName);
      if (!active && options.keepAnAdmin && account.active && account.role === 'admin') {
        const admins = await tx.query("select 1 from staff where role = 'admin' and active");
        if (admins.rows.length <= 1) throw new LastActiveAdminError(account.username);
      }
      if (active) await tx.query('update staff set active = true, failed_logins = 0, locked_until = null where id = $1', [id]);
      else {
        await tx.query('update staff set active = false where id = $1', [id]);
        await tx.query('update sessions set revoked_at = $2 where staff_id = $1 and revoked_at is null', [id, now.toISOString()]);
      }
      if (options.by) await audit(tx, options.by, { action: active ? 'enabled' : 'disabled', target: account, details: { wasActive: account.active } }, now);
      return info(tx, id);
    });
  }

  async resetStaffPassword(id: string, password: string, options: AccountOptions = {}): Promise<StaffAccount | null> {
    const now = options.now ?? new Date();
    const passwordHash = await hashPassword(password);
    const mustChangePassword = options.oneTime ?? false;
    return this.#administer(async (tx) => {
      const account = await info(tx, id);
      if (!account) return null;
      await tx.query('update staff set password_hash = $2, failed_logins = 0, locked_until = null, must_change_password = $3 where id = $1', [id, passwordHash, mustChangePassword]);
      await tx.query('update sessions set revoked_at = $2 where staff_id = $1 and revoked_at is null', [id, now.toISOString()]);
      if (options.by) await audit(tx, options.by, { action: 'password_reset', target: account, details: { oneTime: mustChangePassword } }, now);
      return info(tx, id);
    });
  }

  async accountAudit(options: { before?: number; limit?: number }): Promise<AccountAuditEntry[]> {
    const limit = Math.min(Math.max(1, options.limit ?? 50), AUDIT_PAGE_MAX + 1);
    const { rows } =
      options.before === undefined
        ? await this.pool.query<AccountAuditEntry>(`${AUDIT} order by seq desc limit $1`, [limit])
        : await this.pool.query<AccountAuditEntry>(`${AUDIT} where seq < $2 order by seq desc limit $1`, [limit, options.before]);
    return rows;
  }
  async allAccountAudit(): Promise<AccountAuditEntry[]> {
    return (await this.pool.query<AccountAuditEntry>(`${AUDIT} order by seq`)).rows;
  }

  async createDisplayToken(name: string, now: Date) {
    const { token, tokenHash, info: created } = newDisplayToken(name, now);
    await this.pool.query('insert into display_tokens (id, name, token_hash, created_at) values ($1, $2, $3, $4)', [created.id, created.name, tokenHash, created.createdAt]);
    return { token, info: created };
  }
  async listDisplayTokens() {
    return (await this.pool.query<DisplayTokenInfo>(`${TOKEN_INFO} order by created_at`)).rows;
  }
  findDisplayToken(id: string) {
    return this.#one<DisplayTokenInfo>(`${TOKEN_INFO} where id = $1`, [id]);
  }
  async revokeDisplayToken(id: string, now: Date) {
    const result = await this.pool.query('update display_tokens set revoked_at = $2 where id = $1 and revoked_at is null', [id, now.toISOString()]);
    return (result.rowCount ?? 0) > 0;
  }
  async validDisplayTokens(ids: readonly string[]) {
    if (ids.length === 0) return new Set<string>();
    const { rows } = await this.pool.query<{ id: string }>('select id from display_tokens where id = any($1::text[]) and revoked_at is null', [ids]);
    return new Set(rows.map((r) => r.id));
  }
}

type Queryable = pg.Pool | pg.PoolClient;

async function info(on: Queryable, id: string): Promise<StaffAccount | null> {
  return ((await on.query<StaffAccount>(`${STAFF_INFO} where id = $1`, [id])).rows[0] as StaffAccount | undefined) ?? null;
}

async function activeNames(on: Queryable) {
  return (await on.query<{ id: string; displayName: string }>('select id, display_name as "displayName" from staff where active')).rows;
}

/** The only write path to the audit: an insert (a trigger refuses updates and deletes). */
async function audit(on: Queryable, by: AuditActor, record: AuditRecord, now: Date) {
  await on.query('insert into account_audit (at, actor_id, actor, action, target_id, target_username, details) values ($1, $2, $3, $4, $5, $6, $7::jsonb)', [
    now.toISOString(),
    by === CLI_ACTOR ? null : by.id,
    by === CLI_ACTOR ? CLI_ACTOR : by.username,
    record.action,
    record.target.id,
    record.target.username,
    JSON.stringify(record.details ?? {}),
  ]);
}
