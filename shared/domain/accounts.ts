// Account rules the admin screens check as you type and the server enforces (admin API and CLI).
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;
/** zxcvbn's 0–4 scale: 3 is "safely unguessable" against an online attack and slow against an offline one. */
export const MIN_PASSWORD_SCORE = 3;
// The hyphen is escaped so the same pattern works in JSON Schema (u flag) and in an HTML pattern attribute (v flag).
export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._\\-]{1,63}$';

/** What the account audit records, in the order an account lives them. */
export const ACCOUNT_AUDIT_ACTIONS = ['created', 'disabled', 'enabled', 'password_reset', 'password_changed'] as const;
export type AccountAuditAction = (typeof ACCOUNT_AUDIT_ACTIONS)[number];

/** Who did it: a signed-in admin (or the account itself, changing its own password), or the users CLI. */
export const CLI_ACTOR = 'cli';

export type { AccountAuditEntry } from '../contract/accounts';

/**
 * Two display names are the same person to a reader when they differ only by case, accents,
 * punctuation or spacing ("Inès Martin", "ines  martin", "Ines-Martin").
 */
export function displayNameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s.\-_'’]+/g, ' ')
    .trim();
}

/** Whether `name` would read as one of the active accounts' names (`exceptId` being the account itself). */
export function displayNameTaken(name: string, active: readonly { id: string; displayName: string }[], exceptId?: string): boolean {
  const key = displayNameKey(name);
  return active.some((a) => a.id !== exceptId && displayNameKey(a.displayName) === key);
}

export type { SignedInUser } from '../contract/accounts';
