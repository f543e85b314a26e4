import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { DB } from '../../db/connection';
import { staff } from '../../db/schema';
import { displayNameTaken, type Role, type StaffAccount } from '../../shared';
import { appendAccountAudit, type AuditActor } from './account-audit';
import { hashPassword } from './passwords';
import { revokeStaffSessions } from './sessions';

/**
 * A new account with its password in clear, or already hashed: the demo's four accounts share one
 * hash of the demo password rather than paying scrypt four times at each demo start.
 */
export type NewStaff = { username: string; displayName: string; role: Role } & ({ password: string } | { passwordHash: string });

/**
 * How an account operation is carried out. `by` writes the account audit in the same transaction
 * (the admin API and the CLI always give it; the demo loader and test fixtures do not administer
 * anyone). `oneTime` marks a password someone else chose: it must be changed at first sign-in.
 */
export interface AccountOptions {
  by?: AuditActor;
  oneTime?: boolean;
  now?: Date;
}

export { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, USERNAME_PATTERN } from '../../shared';

export const normaliseUsername = (username: string) => username.trim().toLowerCase();

export class UsernameTakenError extends Error {
  constructor(readonly username: string) {
    super(`username "${username}" is already taken`);
  }
}

/** Two active accounts must not read as the same person: a name alone is how colleagues and the audit trail tell them apart. */
export class DisplayNameTakenError extends Error {
  constructor(readonly displayName: string) {
    super(`an active account is already named "${displayName}"`);
  }
}

/** A unit with no active admin can only be repaired from the server's shell. */
export class LastActiveAdminError extends Error {
  constructor(readonly username: string) {
    super(`"${username}" is the last active admin`);
  }
}

const infoColumns = {
  id: staff.id,
  username: staff.username,
  displayName: staff.displayName,
  role: staff.role,
  active: staff.active,
  createdAt: staff.createdAt,
  lockedUntil: staff.lockedUntil,
  mustChangePassword: staff.mustChangePassword,
};

const activeNames = (db: DB) => db.select({ id: staff.id, displayName: staff.displayName }).from(staff).where(eq(staff.active, true)).all();

export async function createStaff(db: DB, input: NewStaff, options: AccountOptions = {}): Promise<StaffAccount> {
  const now = options.now ?? new Date();
  const username = normaliseUsername(input.username);
  const displayName = input.displayName.trim();
  const passwordHash = 'passwordHash' in input ? input.passwordHash : await hashPassword(input.password);
  const row = {
    id: randomUUID(),
    username,
    displayName,
    role: input.role,
    passwordHash,
    active: true,
    createdAt: now.toISOString(),
    mustChangePassword: options.oneTime ?? false,
  };
  // Synchronous driver: the checks and the insert run on one connection, inside one transaction.
  return db.transaction(() => {
    if (findStaff(db, username)) throw new UsernameTakenError(username);
    if (displayNameTaken(displayName, activeNames(db))) throw new DisplayNameTakenError(displayName);
    db.insert(staff).values(row).run();
    if (options.by) appendAccountAudit(db, options.by, { action: 'created', target: row, details: { role: row.role, displayName } }, now);
    return staffInfo(db, row.id)!;
  });
}

export function findStaff(db: DB, username: string) {
  return db.select().from(staff).where(eq(staff.username, normaliseUsername(username))).get() ?? null;
}

export function findStaffById(db: DB, id: string) {
  return db.select().from(staff).where(eq(staff.id, id)).get() ?? null;
}

export function staffInfo(db: DB, id: string): StaffAccount | null {
  return db.select(infoColumns).from(staff).where(eq(staff.id, id)).get() ?? null;
}

export function listStaff(db: DB): StaffAccount[] {
  return db.select(infoColumns).from(staff).orderBy(asc(staff.username)).all();
}

/**
 * Disabling signs the account out everywhere at once; enabling also lifts a lockout, since an admin
 * re-enabling an account has checked who is behind it. Enabling is refused when an active account
 * now carries the same name; `keepAnAdmin` refuses disabling the last active admin.
 */
export function setStaffActive(
  db: DB,
  id: string,
  active: boolean,
  options: AccountOptions & { keepAnAdmin?: boolean } = {},
): StaffAccount | null {
  const now = options.now ?? new Date();
  // Synchronous driver: the statements below run on the same connection, inside the transaction.
  return db.transaction(() => {
    const account = staffInfo(db, id);
    if (!account) return null;
    if (active && !account.active && displayNameTaken(account.displayName, activeNames(db), id)) {
      throw new DisplayNameTakenError(account.displayName);
    }
    if (!active && options.keepAnAdmin && account.active && account.role === 'admin') {
      const admins = db.select({ id: staff.id }).from(staff).where(and(eq(staff.role, 'admin'), eq(staff.active, true))).all();
      if (admins.length <= 1) throw new LastActiveAdminError(account.username);
    }
    db.update(staff)
      .set(active ? { active, failedLogins: 0, lockedUntil: null } : { active })
      .where(eq(staff.id, id))
      .run();
    if (!active) revokeStaffSessions(db, id, now);
    if (options.by) appendAccountAudit(db, options.by, { action: active ? 'enabled' : 'disabled', target: account, details: { wasActive: account.active } }, now);
    return staffInfo(db, id);
  });
}

/**
 * A new password revokes every open session of the account and lifts its lockout. A one-time
 * password (set by an admin or the CLI) must be changed at the next sign-in.
 */
export async function resetStaffPassword(db: DB, id: string, password: string, options: AccountOptions = {}): Promise<StaffAccount | null> {
  const now = options.now ?? new Date();
  const passwordHash = await hashPassword(password);
  const mustChangePassword = options.oneTime ?? false;
  // Synchronous driver: the statements below run on the same connection, inside the transaction.
  return db.transaction(() => {
    const account = staffInfo(db, id);
    if (!account) return null;
    db.update(staff).set({ passwordHash, failedLogins: 0, lockedUntil: null, mustChangePassword }).where(eq(staff.id, id)).run();
    revokeStaffSessions(db, id, now);
    if (options.by) appendAccountAudit(db, options.by, { action: 'password_reset', target: account, details: { oneTime: mustChangePassword } }, now);
    return staffInfo(db, id);
  });
}

/**
 * The account holder's own new password, already hashed: it clears the one-time flag and signs out
 * every other session (a stolen one-time password must not outlive the change), keeping `keepSessionHash`'s open.
 */
export function storeOwnPassword(db: DB, id: string, passwordHash: string, keepSessionHash: string, now = new Date()): StaffAccount | null {
  return db.transaction(() => {
    const account = staffInfo(db, id);
    if (!account) return null;
    db.update(staff).set({ passwordHash, mustChangePassword: false }).where(eq(staff.id, id)).run();
    revokeStaffSessions(db, id, now, keepSessionHash);
    appendAccountAudit(db, account, { action: 'password_changed', target: account, details: { wasOneTime: account.mustChangePassword } }, now);
    return staffInfo(db, id);
  });
}
