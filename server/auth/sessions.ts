import { and, eq, isNull, lt, ne, sql } from 'drizzle-orm';
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

/** The session's row while it holds (known, not revoked, account active, not idle past `idleMs`), else null. */
function liveSession(db: DB, tokenHash: string, now: Date, idleMs: number) {
  let lookup = lookups.get(db);
  if (!lookup) lookups.set(db, (lookup = prepareLookup(db)));
  const row = lookup.get({ tokenHash });
  if (!row || !row.active || now.getTime() - Date.parse(row.lastSeenAt) > idleMs) return null;
  return row;
}

/** How long a session lives: `idleMs` without use, and `maxMs` after sign-in however much it is used. */
export interface SessionLimits {
  idleMs: number;
  maxMs: number;
}

/**
 * The signed-in staff member behind a session token, with whether the account still holds a one-time
 * password (such a session may only read who it is, change the password and sign out; kept apart from the
 * Actor, which events carry), or null when unknown, revoked, idle too long, past its lifetime or disabled.
 * `onTouch` runs when the idle clock was pushed back, with how long the session may now last, so the
 * caller can renew the cookie too.
 */
export function resolveSessionAccount(
  db: DB,
  token: string,
  now: Date,
  limits: SessionLimits,
  onTouch?: (remainingMs: number) => void,
): { actor: Actor; mustChangePassword: boolean } | null {
  const tokenHash = tokenDigest(token);
  const row = liveSession(db, tokenHash, now, limits.idleMs);
  if (!row) return null;
  const endsAt = Date.parse(row.createdAt) + limits.maxMs;
  if (now.getTime() >= endsAt) return null;
  if (now.getTime() - Date.parse(row.lastSeenAt) > TOUCH_EVERY_MS) {
    db.update(sessions).set({ lastSeenAt: now.toISOString() }).where(eq(sessions.tokenHash, tokenHash)).run();
    onTouch?.(Math.min(limits.idleMs, endsAt - now.getTime()));
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

/**
 * Revokes every session signed in more than `maxMs` ago. Run on a timer: the live feed's heartbeat
 * checks only revocation and idleness, so this is what closes a socket whose session reached its end.
 */
export function endSessionsPastLifetime(db: DB, now: Date, maxMs: number): void {
  const signedInBefore = new Date(now.getTime() - maxMs).toISOString();
  db.update(sessions)
    .set({ revokedAt: now.toISOString() })
    .where(and(isNull(sessions.revokedAt), lt(sessions.createdAt, signedInBefore)))
    .run();
}
