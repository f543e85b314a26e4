import { and, eq, isNull, ne } from 'drizzle-orm';
import type { DB } from '../../db/connection';
import { sessions } from '../../db/schema';
import type { Actor } from '../../shared';
import type { AccountStore, SessionRow } from './account-store';
import { newToken, tokenDigest } from './tokens';

// lastSeenAt is written at most this often: a tablet polling all shift should not write on every request.
const TOUCH_EVERY_MS = 60_000;

export async function createSession(accounts: AccountStore, staffId: string, now: Date): Promise<string> {
  const token = newToken();
  await accounts.addSession(tokenDigest(token), staffId, now.toISOString());
  return token;
}

/** The session's row while it holds (known, not revoked, account active, not idle past `idleMs`), else null. */
async function liveSession(accounts: AccountStore, tokenHash: string, now: Date, idleMs: number): Promise<SessionRow | null> {
  const row = await accounts.sessionOf(tokenHash);
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
export async function resolveSessionAccount(
  accounts: AccountStore,
  token: string,
  now: Date,
  limits: SessionLimits,
  onTouch?: (remainingMs: number) => void,
): Promise<{ actor: Actor; mustChangePassword: boolean } | null> {
  const tokenHash = tokenDigest(token);
  const row = await liveSession(accounts, tokenHash, now, limits.idleMs);
  if (!row) return null;
  const endsAt = Date.parse(row.createdAt) + limits.maxMs;
  if (now.getTime() >= endsAt) return null;
  if (now.getTime() - Date.parse(row.lastSeenAt) > TOUCH_EVERY_MS) {
    await accounts.touchSession(tokenHash, now.toISOString());
    onTouch?.(Math.min(limits.idleMs, endsAt - now.getTime()));
  }
  return { actor: { id: row.id, name: row.name, role: row.role }, mustChangePassword: row.mustChangePassword };
}

/**
 * Whether a session still holds, without pushing back its idle clock: an open live socket is not a
 * nurse using the tablet.
 */
export async function sessionHolds(accounts: AccountStore, token: string, now: Date, idleMs: number): Promise<boolean> {
  return (await liveSession(accounts, tokenDigest(token), now, idleMs)) !== null;
}

export function revokeSession(accounts: AccountStore, token: string, now: Date): Promise<void> {
  return accounts.revokeSession(tokenDigest(token), now.toISOString());
}

/**
 * Every open session of the account, except the one whose digest is `keepTokenHash` (the one changing
 * its own password): SQLite's, inside the admin's and the CLI's account transactions.
 */
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
export function endSessionsPastLifetime(accounts: AccountStore, now: Date, maxMs: number): Promise<void> {
  return accounts.revokeSessionsSignedInBefore(new Date(now.getTime() - maxMs).toISOString(), now.toISOString());
}
