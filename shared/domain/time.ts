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

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC at an instant, in milliseconds (Paris: one or two hours). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    const fields = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' } as const;
    offsetFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', ...fields })));
  }
  const p = Object.fromEntries(format.formatToParts(new Date(instant)).map((x) => [x.type, Number(x.value)]));
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which `timeZone`'s wall clock reads `wall` (that date and time written as if UTC, in
 * milliseconds). The offset is taken near the answer, then at it: around a change of offset the two
 * differ. A time the spring change skipped (02:30) comes out an hour later; one the autumn change reads
 * twice comes out as one of its two instants.
 */
export function instantOfWallClock(wall: number, timeZone: string): number {
  const guess = wall - zoneOffsetMs(wall, timeZone);
  return wall - zoneOffsetMs(guess, timeZone);
}

/** The instant a YYYY-MM-DD day of `timeZone` begins (its midnight; 23 or 25 hours before the next one at a change of offset). */
export const dayStart = (day: string, timeZone: string): number => instantOfWallClock(Date.parse(`${day}T00:00:00Z`), timeZone);

/** HH:MM on a YYYY-MM-DD day of `timeZone`'s wall clock, as an instant. */
export const wallTimeToIso = (day: string, hourMinute: string, timeZone: string): string =>
  new Date(instantOfWallClock(Date.parse(`${day}T${hourMinute}:00Z`), timeZone)).toISOString();

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of an instant in `timeZone`: what "today's list" and a device's expiry day mean. */
export function dayOf(instant: string | number | Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  // Building a formatter costs far more than using one: one per zone.
  if (!format) dayFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return format.format(instant instanceof Date ? instant : new Date(instant));
}

const DAY_MS = 86_400_000;

/** A calendar day shifted by whole days (arithmetic on the date alone: a 23- or 25-hour day is still one day). */
export const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * "When did it happen", typed as HH:MM on `timeZone`'s wall clock: the instant at that time nearest `now`,
 * so "23:55" typed at 00:05 is ten minutes ago, not later tonight, and "00:02" typed at 23:58 is four
 * minutes ahead (which the rules then refuse as in the future) rather than a day ago.
 */
export function nearestWallTime(now: number, hourMinute: string, timeZone: string): string {
  const today = dayOf(now, timeZone);
  const candidates = [-1, 0, 1].map((days) => wallTimeToIso(addDays(today, days), hourMinute, timeZone));
  return candidates.reduce((best, at) => (Math.abs(Date.parse(at) - now) < Math.abs(Date.parse(best) - now) ? at : best));
}
