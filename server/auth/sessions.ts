import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DB } from '../../db/connection';
import { sessions, staff } from '../../db/schema';
import type { Actor } from '../../shared';
import { newToken, tokenDigest } from './tokens';

// lastSeenAt is written at most this often: a tablet polling all shift should not write on every request.
const TOUCH_EVERY_MS = 60_000;

export function createSession(db: DB, staffId: string, now: Date): string {
  const token = newToken();
  const at = now.toISOString();
  db.insert(sessions).values({ tokenHash: tokenDigest(token), staffId, createdAt: at, lastSeenAt: at }).run();
  return token;
}

// Every request resolves its session: the lookup is prepared once per database, not rebuilt each time.
const lookups = new WeakMap<DB, ReturnType<typeof prepareLookup>>();
const prepareLookup = (db: DB) =>
  db
    .select({ lastSeenAt: sessions.lastSeenAt, id: staff.id, name: staff.displayName, role: staff.role, active: staff.active })
    .from(sessions)
    .innerJoin(staff, eq(staff.id, sessions.staffId))
    .where(and(eq(sessions.tokenHash, sql.placeholder('tokenHash')), isNull(sessions.revokedAt)))
    .prepare();

/**
 * The signed-in staff member behind a session token, or null when unknown, revoked, idle too long or
 * disabled. `onTouch` runs when the idle clock was pushed back, so the caller can renew the cookie too.
 */
function sessionRow(db: DB, tokenHash: string) {
  let lookup = lookups.get(db);
  if (!lookup) lookups.set(db, (lookup = prepareLookup(db)));
  return lookup.get({ tokenHash });
}

export function resolveSession(db: DB, token: string, now: Date, idleMs: number, onTouch?: () => void): Actor | null {
  const tokenHash = tokenDigest(token);
  const row = sessionRow(db, tokenHash);
  if (!row || !row.active) return null;
  const idle = now.getTime() - Date.parse(row.lastSeenAt);
  if (idle > idleMs) return null;
  if (idle > TOUCH_EVERY_MS) {
    db.update(sessions).set({ lastSeenAt: now.toISOString() }).where(eq(sessions.tokenHash, tokenHash)).run();
    onTouch?.();
  }
  return { id: row.id, name: row.name, role: row.role };
}

/**
 * Whether a session still holds (known, not revoked, not idle too long, account active), without
 * pushing back its idle clock: an open live socket is not a nurse using the tablet.
 */
export function sessionHolds(db: DB, token: string, now: Date, idleMs: number): boolean {
  const row = sessionRow(db, tokenDigest(token));
  return row !== undefined && row.active && now.getTime() - Date.parse(row.lastSeenAt) <= idleMs;
}

export function revokeSession(db: DB, token: string, now: Date): void {
  db.update(sessions).set({ revokedAt: now.toISOString() }).where(eq(sessions.tokenHash, tokenDigest(token))).run();
}

export function revokeStaffSessions(db: DB, staffId: string, now: Date): void {
  db.update(sessions)
    .set({ revokedAt: now.toISOString() })
    .where(and(eq(sessions.staffId, staffId), isNull(sessions.revokedAt)))
    .run();
}
