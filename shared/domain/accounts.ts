// Account rules the admin screens check as you type and the server enforces (admin API and CLI).
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;
// The hyphen is escaped so the same pattern works in JSON Schema (u flag) and in an HTML pattern attribute (v flag).
export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._\\-]{1,63}$';
