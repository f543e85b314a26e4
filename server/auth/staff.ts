import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { DB } from '../../db/connection';
import { staff } from '../../db/schema';
import type { Role } from '../../shared';
import { hashPassword } from './passwords';

export interface NewStaff {
  username: string;
  displayName: string;
  role: Role;
  password: string;
}

export const normaliseUsername = (username: string) => username.trim().toLowerCase();

export async function createStaff(db: DB, input: NewStaff, now = new Date()) {
  const row = {
    id: randomUUID(),
    username: normaliseUsername(input.username),
    displayName: input.displayName,
    role: input.role,
    passwordHash: await hashPassword(input.password),
    active: true,
    createdAt: now.toISOString(),
  };
  db.insert(staff).values(row).run();
  return { id: row.id, username: row.username, displayName: row.displayName, role: row.role, active: true };
}

export function findStaff(db: DB, username: string) {
  return db.select().from(staff).where(eq(staff.username, normaliseUsername(username))).get() ?? null;
}

export function listStaff(db: DB) {
  return db
    .select({ id: staff.id, username: staff.username, displayName: staff.displayName, role: staff.role, active: staff.active, createdAt: staff.createdAt })
    .from(staff)
    .orderBy(asc(staff.username))
    .all();
}
