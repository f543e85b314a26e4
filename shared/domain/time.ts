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

/** HH:MM on a YYYY-MM-DD day of `timeZone`'s wall clock, as an instant. */
export const wallTimeToIso = (day: string, hourMinute: string, timeZone: string): string =>
  new Date(instantOfWallClock(Date.parse(`${day}T${hourMinute}:00Z`), timeZone)).toISOString();
