import { and, eq, isNull, ne, sql } from 'drizzle-orm';
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
    .select({ lastSeenAt: sessions.lastSeenAt, id: staff.id, name: staff.displayName, role: staff.role, active: staff.active, mustChangePassword: staff.mustChangePassword })
    .from(sessions)
    .innerJoin(staff, eq(staff.id, sessions.staffId))
    .where(and(eq(sessions.tokenHash, sql.placeholder('tokenHash')), isNull(sessions.revokedAt)))
    .prepare();

/** The session's row while it holds (known, not revoked, account active, not idle past `idleMs`), else null. */
function liveSession(db: DB, tokenHash: string, now: Date, idleMs: number) {
  let lookup = lookups.get(db);
  if (!lookup) lookups.set(db, (lookup = prepareLookup(db)));
  const row = lookup.get({ tokenHash });
  if (!row || !row.active || now.getTime() - Date.parse(row.lastSeenAt) > idleMs) return null;
  return row;
}

/**
 * The signed-in staff member behind a session token, or null when unknown, revoked, idle too long or
 * disabled. `onTouch` runs when the idle clock was pushed back, so the caller can renew the cookie too.
 */
export function resolveSession(db: DB, token: string, now: Date, idleMs: number, onTouch?: () => void): Actor | null {
  return resolveSessionAccount(db, token, now, idleMs, onTouch)?.actor ?? null;
}

/**
 * As resolveSession, with whether the account still holds a one-time password: such a session may
 * only read who it is, change the password and sign out. Kept apart from the Actor, which events carry.
 */
export function resolveSessionAccount(
  db: DB,
  token: string,
  now: Date,
  idleMs: number,
  onTouch?: () => void,
): { actor: Actor; mustChangePassword: boolean } | null {
  const tokenHash = tokenDigest(token);
  const row = liveSession(db, tokenHash, now, idleMs);
  if (!row) return null;
  if (now.getTime() - Date.parse(row.lastSeenAt) > TOUCH_EVERY_MS) {
    db.update(sessions).set({ lastSeenAt: now.toISOString() }).where(eq(sessions.tokenHash, tokenHash)).run();
    onTouch?.();
  }
  return { actor: { id: row.id, name: row.name, role: row.role }, mustChangePassword: row.mustChangePassword };
}

/**
 * Whether a session still holds, without pushing back its idle clock: an open live socket is not a
 * nurse using the tablet.
 */
export function sessionHolds(db: DB, token: string, now: Date, idleMs: number): boolean {
  return liveSession(db, tokenDigest(token), now, idleMs) !== null;
}

export function revokeSession(db: DB, token: string, now: Date): void {
  db.update(sessions).set({ revokedAt: now.toISOString() }).where(eq(sessions.tokenHash, tokenDigest(token))).run();
}

/** Every open session of the account, except the one whose digest is `keepTokenHash` (the one changing its own password). */
export function revokeStaffSessions(db: DB, staffId: string, now: Date, keepTokenHash?: string): void {
  const open = and(eq(sessions.staffId, staffId), isNull(sessions.revokedAt));
  db.update(sessions)
    .set({ revokedAt: now.toISOString() })
    .where(keepTokenHash === undefined ? open : and(open, ne(sessions.tokenHash, keepTokenHash)))
    .run();
}
