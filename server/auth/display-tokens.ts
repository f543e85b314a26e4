import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DB } from '../../db/connection';
import { displayTokens } from '../../db/schema';
import type { AccountStore, DisplayTokenInfo } from './account-store';
import { newToken, tokenDigest } from './tokens';

export type { DisplayTokenInfo };

/** A new wall-screen token: the clear token is returned once and only its digest is kept. */
export function newDisplayToken(name: string, now: Date): { token: string; tokenHash: string; info: DisplayTokenInfo } {
  const token = newToken();
  return { token, tokenHash: tokenDigest(token), info: { id: randomUUID(), name, createdAt: now.toISOString(), lastSeenAt: null, revokedAt: null } };
}

/** Creates a wall-screen token in a SQLite database (the admin screen, the tests' and the bench's fixtures). */
export function createDisplayToken(db: DB, name: string, now: Date): { token: string; info: DisplayTokenInfo } {
  const { token, tokenHash, info } = newDisplayToken(name, now);
  db.insert(displayTokens).values({ ...info, tokenHash }).run();
  return { token, info };
}

/**
 * "Last seen" is written at most this often per token, as for sessions: every write is an fsync
 * (synchronous=FULL) on the event loop, and after a restart every board reconnects at once. The
 * admin list's "last seen" is then at most a minute older than the token's latest connection.
 */
export const SEEN_EVERY_MS = 60_000;

/** The live token a board presents, recording (at most once a minute) when it was last seen; null when unknown or revoked. */
export async function resolveDisplayToken(accounts: AccountStore, token: string, now: Date): Promise<DisplayTokenInfo | null> {
  const row = await accounts.displayTokenOf(tokenDigest(token));
  if (!row) return null;
  let lastSeenAt = row.lastSeenAt;
  // abs: a clock set back must not freeze "last seen" until it catches up.
  if (lastSeenAt === null || Math.abs(now.getTime() - Date.parse(lastSeenAt)) >= SEEN_EVERY_MS) {
    lastSeenAt = now.toISOString();
    await accounts.touchDisplayToken(row.id, lastSeenAt);
  }
  return { id: row.id, name: row.name, createdAt: row.createdAt, lastSeenAt, revokedAt: null };
}

export function listDisplayTokens(db: DB): DisplayTokenInfo[] {
  return db
    .select({ id: displayTokens.id, name: displayTokens.name, createdAt: displayTokens.createdAt, lastSeenAt: displayTokens.lastSeenAt, revokedAt: displayTokens.revokedAt })
    .from(displayTokens)
    .orderBy(asc(displayTokens.createdAt))
    .all();
}

export function revokeDisplayToken(db: DB, id: string, now: Date): boolean {
  const result = db
    .update(displayTokens)
    .set({ revokedAt: now.toISOString() })
    .where(and(eq(displayTokens.id, id), isNull(displayTokens.revokedAt)))
    .run();
  return result.changes > 0;
}

export function findDisplayToken(db: DB, id: string): DisplayTokenInfo | null {
  return (
    db
      .select({ id: displayTokens.id, name: displayTokens.name, createdAt: displayTokens.createdAt, lastSeenAt: displayTokens.lastSeenAt, revokedAt: displayTokens.revokedAt })
      .from(displayTokens)
      .where(eq(displayTokens.id, id))
      .get() ?? null
  );
}

/** The wall screen's address; the token rides in the query because a kiosk browser cannot sign in. */
export const boardPath = (token: string) => `/board?token=${encodeURIComponent(token)}`;
