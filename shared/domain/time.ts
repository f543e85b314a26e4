// ISO-8601 arithmetic without reading the clock: "now" is always passed in by the caller.
export const ms = (iso: string): number => Date.parse(iso);

export const minutesBetween = (from: string, to: string): number => (ms(to) - ms(from)) / 60_000;

export const addSeconds = (iso: string, seconds: number): string =>
  new Date(ms(iso) + seconds * 1000).toISOString();

export const isValidInstant = (iso: string): boolean => Number.isFinite(ms(iso));

/**
 * The one way an instant is stored: UTC, `Z`, milliseconds (what `toISOString` gives). Instants are
 * compared as text in SQL and in reports, so `+02:00` or a lowercase `t` must never reach the log.
 * Null for what RFC 3339 allows but JavaScript cannot read (a leap second, `23:59:60`).
 */
export function utcInstant(iso: string): string | null {
  const at = ms(iso);
  return Number.isFinite(at) ? new Date(at).toISOString() : null;
}
