import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { DB } from '../../db/connection';
import { displayTokens, sessions, staff } from '../../db/schema';
import { allAccountAudit, listAccountAudit } from './account-audit';
import type { AccountStore, LockoutPolicy, SessionRow } from './account-store';
import { createDisplayToken, findDisplayToken, listDisplayTokens, revokeDisplayToken } from './display-tokens';
import { SqliteLockoutCounter } from './lockout';
import {
  createStaff,
  findStaff,
  findStaffById,
  listStaff,
  resetStaffPassword,
  setStaffActive,
  staffInfo,
  storeOwnPassword,
  type AccountOptions,
  type NewStaff,
} from './staff';

/**
 * The accounts of the one SQLite connection. Its statements are synchronous, so each method has done
 * its work when it returns: a check and the write after it (the lockout's) cannot be split by another
 * request.
 */
export class SqliteAccounts implements AccountStore {
  readonly #lockout: SqliteLockoutCounter;
  // Every request resolves its session: the lookup is prepared once, not rebuilt each time.
  #lookup;

  constructor(private readonly db: DB) {
    this.#lockout = new SqliteLockoutCounter(db);
    this.#lookup = db
      .select({
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
        id: staff.id,
        name: staff.displayName,
        role: staff.role,
        active: staff.active,
        mustChangePassword: staff.mustChangePassword,
      })
      .from(sessions)
      .innerJoin(staff, eq(staff.id, sessions.staffId))
      .where(and(eq(sessions.tokenHash, sql.placeholder('tokenHash')), isNull(sessions.revokedAt)))
      .prepare();
  }

  async accountOf(username: string) {
    const row = findStaff(this.db, username);
    return row && pick(row);
  }
  async accountById(id: string) {
    const row = findStaffById(this.db, id);
    return row && pick(row);
  }
  async addSession(tokenHash: string, staffId: string, at: string) {
    this.db.insert(sessions).values({ tokenHash, staffId, createdAt: at, lastSeenAt: at }).run();
  }
  async sessionOf(tokenHash: string): Promise<SessionRow | null> {
    return this.#lookup.get({ tokenHash }) ?? null;
  }
  async touchSession(tokenHash: string, at: string) {
    this.db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.tokenHash, tokenHash)).run();
  }
  async revokeSession(tokenHash: string, at: string) {
    this.db.update(sessions).set({ revokedAt: at }).where(eq(sessions.tokenHash, tokenHash)).run();
  }
  async revokeSessionsSignedInBefore(before: string, at: string) {
    this.db
      .update(sessions)
      .set({ revokedAt: at })
      .where(and(isNull(sessions.revokedAt), lt(sessions.createdAt, before)))
      .run();
  }
  async displayTokenOf(tokenHash: string) {
    return (
      this.db
        .select({ id: displayTokens.id, name: displayTokens.name, createdAt: displayTokens.createdAt, lastSeenAt: displayTokens.lastSeenAt })
        .from(displayTokens)
        .where(and(eq(displayTokens.tokenHash, tokenHash), isNull(displayTokens.revokedAt)))
        .get() ?? null
    );
  }
  async touchDisplayToken(id: string, at: string) {
    this.db.update(displayTokens).set({ lastSeenAt: at }).where(eq(displayTokens.id, id)).run();
  }
  async beginAttempt(username: string, now: Date, policy: LockoutPolicy) {
    return this.#lockout.beginAttempt(username, now, policy);
  }
  async lockedUntil(username: string, now: Date) {
    return this.#lockout.lockedUntil(username, now);
  }
  async clearFailures(staffId: string) {
    this.db.update(staff).set({ failedLogins: 0, lockedUntil: null }).where(eq(staff.id, staffId)).run();
  }
  async changeOwnPassword(id: string, passwordHash: string, keepSessionHash: string, now: Date) {
    return storeOwnPassword(this.db, id, passwordHash, keepSessionHash, now) !== null;
  }

  async listStaff() {
    return listStaff(this.db);
  }
  async staffInfo(id: string) {
    return staffInfo(this.db, id);
  }
  async staffOfUsername(username: string) {
    const row = findStaff(this.db, username);
    return row && staffInfo(this.db, row.id);
  }
  createStaff(input: NewStaff, options?: AccountOptions) {
    return createStaff(this.db, input, options);
  }
  async setStaffActive(id: string, active: boolean, options?: AccountOptions & { keepAnAdmin?: boolean }) {
    return setStaffActive(this.db, id, active, options);
  }
  resetStaffPassword(id: string, password: string, options?: AccountOptions) {
    return resetStaffPassword(this.db, id, password, options);
  }
  async accountAudit(options: { before?: number; limit?: number }) {
    return listAccountAudit(this.db, options);
  }
  async allAccountAudit() {
    return allAccountAudit(this.db);
  }
  async createDisplayToken(name: string, now: Date) {
    return createDisplayToken(this.db, name, now);
  }
  async listDisplayTokens() {
    return listDisplayTokens(this.db);
  }
  async findDisplayToken(id: string) {
    return findDisplayToken(this.db, id);
  }
  async revokeDisplayToken(id: string, now: Date) {
    return revokeDisplayToken(this.db, id, now);
  }
  async validDisplayTokens(ids: readonly string[]) {
    if (ids.length === 0) return new Set<string>();
    const rows = this.db
      .select({ id: displayTokens.id })
      .from(displayTokens)
      .where(and(inArray(displayTokens.id, [...ids]), isNull(displayTokens.revokedAt)))
      .all();
    return new Set(rows.map((r) => r.id));
  }
}

const pick = ({ id, username, displayName, role, active, passwordHash, mustChangePassword }: typeof staff.$inferSelect) => ({
  id,
  username,
  displayName,
  role,
  active,
  passwordHash,
  mustChangePassword,
});
