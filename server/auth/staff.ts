import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { DB } from '../../db/connection';
import { staff } from '../../db/schema';
import type { Role } from '../../shared';
import { hashPassword } from './passwords';
import { revokeStaffSessions } from './sessions';

export interface NewStaff {
  username: string;
  displayName: string;
  role: Role;
  password: string;
}

/** What an admin sees of an account: never the hash. */
export interface StaffInfo {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  createdAt: string;
  lockedUntil: string | null;
}

export { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, USERNAME_PATTERN } from '../../shared';

export const normaliseUsername = (username: string) => username.trim().toLowerCase();

export class UsernameTakenError extends Error {
  constructor(readonly username: string) {
    super(`username "${username}" is already taken`);
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
};

export async function createStaff(db: DB, input: NewStaff, now = new Date()): Promise<StaffInfo> {
  const username = normaliseUsername(input.username);
  const passwordHash = await hashPassword(input.password);
  if (findStaff(db, username)) throw new UsernameTakenError(username);
  const row = {
    id: randomUUID(),
    username,
    displayName: input.displayName.trim(),
    role: input.role,
    passwordHash,
    active: true,
    createdAt: now.toISOString(),
  };
  db.insert(staff).values(row).run();
  return { id: row.id, username, displayName: row.displayName, role: row.role, active: true, createdAt: row.createdAt, lockedUntil: null };
}

export function findStaff(db: DB, username: string) {
  return db.select().from(staff).where(eq(staff.username, normaliseUsername(username))).get() ?? null;
}

export function staffInfo(db: DB, id: string): StaffInfo | null {
  return db.select(infoColumns).from(staff).where(eq(staff.id, id)).get() ?? null;
}

export function listStaff(db: DB): StaffInfo[] {
  return db.select(infoColumns).from(staff).orderBy(asc(staff.username)).all();
}

/**
 * Disabling signs the account out everywhere at once; enabling also lifts a lockout, since an admin
 * re-enabling an account has checked who is behind it.
 */
export function setStaffActive(db: DB, id: string, active: boolean, now = new Date()): StaffInfo | null {
  // Synchronous driver: the statements below run on the same connection, inside the transaction.
  return db.transaction(() => {
    const changed = db
      .update(staff)
      .set(active ? { active, failedLogins: 0, lockedUntil: null } : { active })
      .where(eq(staff.id, id))
      .run();
    if (changed.changes === 0) return null;
    if (!active) revokeStaffSessions(db, id, now);
    return staffInfo(db, id);
  });
}

/** A new password revokes every open session of the account and lifts its lockout. */
export async function resetStaffPassword(db: DB, id: string, password: string, now = new Date()): Promise<StaffInfo | null> {
  const passwordHash = await hashPassword(password);
  // Synchronous driver: the statements below run on the same connection, inside the transaction.
  return db.transaction(() => {
    const changed = db.update(staff).set({ passwordHash, failedLogins: 0, lockedUntil: null }).where(eq(staff.id, id)).run();
    if (changed.changes === 0) return null;
    revokeStaffSessions(db, id, now);
    return staffInfo(db, id);
  });
}
