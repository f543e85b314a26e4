import type { AccountAuditEntry, Role, StaffAccount } from '../../shared';
import type { AccountOptions, NewStaff } from './staff';

/** What sign-in reads of an account. */
export interface SignInAccount {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  passwordHash: string;
  mustChangePassword: boolean;
}

/** An open (not revoked) session with its account, as every request resolves it. */
export interface SessionRow {
  createdAt: string;
  lastSeenAt: string;
  id: string;
  name: string;
  role: Role;
  active: boolean;
  mustChangePassword: boolean;
}

/** A wall screen's token that is not revoked. */
export interface DisplayTokenRow {
  id: string;
  name: string;
  createdAt: string;
  lastSeenAt: string | null;
}

/** An attempt begun: refused while the username is locked, else counted, with the lock's end when it set one. */
export type AttemptStart = { refusedUntil: Date } | { refusedUntil: null; locksUntil: Date | null };

export interface LockoutPolicy {
  /** Consecutive failures that lock a username. */
  maxFailures: number;
  lockMs: number;
}

/**
 * What sign-in, sessions, wall screens and the lockout keep in the database, beside the event `Store`:
 * SQLite in one process (`server/auth/sqlite-accounts.ts`), PostgreSQL under several instances
 * (`server/auth/pg-accounts.ts`), so that a session opened on one instance holds on the others and failed
 * sign-ins on all of them count together. The rules (idle and lifetime limits, when to touch) stay in
 * sessions.ts, lockout.ts and display-tokens.ts, once.
 */
export interface AccountStore {
  accountOf(username: string): Promise<SignInAccount | null>;
  accountById(id: string): Promise<SignInAccount | null>;
  addSession(tokenHash: string, staffId: string, at: string): Promise<void>;
  sessionOf(tokenHash: string): Promise<SessionRow | null>;
  touchSession(tokenHash: string, at: string): Promise<void>;
  revokeSession(tokenHash: string, at: string): Promise<void>;
  /** Revokes every open session signed in before `before`. */
  revokeSessionsSignedInBefore(before: string, at: string): Promise<void>;
  displayTokenOf(tokenHash: string): Promise<DisplayTokenRow | null>;
  touchDisplayToken(id: string, at: string): Promise<void>;
  /**
   * Atomically, whatever runs beside it on this instance or another: refused while `username` (already
   * normalised) is locked, else counted as a failure, locking it when the count reaches the policy's.
   * Usernames no account holds are counted the same way, so a lock never tells whether one exists.
   */
  beginAttempt(username: string, now: Date, policy: LockoutPolicy): Promise<AttemptStart>;
  lockedUntil(username: string, now: Date): Promise<Date | null>;
  clearFailures(staffId: string): Promise<void>;
  /**
   * The account holder's new password (already hashed): clears the one-time flag, revokes every other
   * session but `keepSessionHash`'s and writes the account audit, in one transaction. False when the
   * account is gone.
   */
  changeOwnPassword(id: string, passwordHash: string, keepSessionHash: string, now: Date): Promise<boolean>;

  // Administration (the admin screens, the users CLI): each change and its audit entry in one transaction.
  listStaff(): Promise<StaffAccount[]>;
  staffInfo(id: string): Promise<StaffAccount | null>;
  staffOfUsername(username: string): Promise<StaffAccount | null>;
  /** Throws UsernameTakenError, or DisplayNameTakenError when an active account bears the same name. */
  createStaff(input: NewStaff, options?: AccountOptions): Promise<StaffAccount>;
  /** Disabling signs the account out everywhere; enabling lifts a lockout. Throws DisplayNameTakenError, LastActiveAdminError (`keepAnAdmin`). */
  setStaffActive(id: string, active: boolean, options?: AccountOptions & { keepAnAdmin?: boolean }): Promise<StaffAccount | null>;
  /** A new password revokes every session of the account and lifts its lockout. */
  resetStaffPassword(id: string, password: string, options?: AccountOptions): Promise<StaffAccount | null>;
  /** Newest first; `before` (a seq) pages back. */
  accountAudit(options: { before?: number; limit?: number }): Promise<AccountAuditEntry[]>;
  /** Every entry, oldest first. */
  allAccountAudit(): Promise<AccountAuditEntry[]>;
  createDisplayToken(name: string, now: Date): Promise<{ token: string; info: DisplayTokenInfo }>;
  listDisplayTokens(): Promise<DisplayTokenInfo[]>;
  findDisplayToken(id: string): Promise<DisplayTokenInfo | null>;
  revokeDisplayToken(id: string, now: Date): Promise<boolean>;
  /** Which of these display tokens are still valid (not revoked): the live heartbeat's check of boards. */
  validDisplayTokens(ids: readonly string[]): Promise<Set<string>>;
}

/** A display token as the admin screen lists it (its clear value is shown once, at creation). */
export interface DisplayTokenInfo {
  id: string;
  name: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}
