import { addDays, dayOf } from '../../shared';

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export { MAX_RANGE_DAYS } from '../../shared';

/** A real calendar day written YYYY-MM-DD (2025-02-30 is refused, not rolled over). */
export function isCalendarDay(value: string): boolean {
  const m = DAY_PATTERN.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** Whole days from `from` to `to`, both included (2025-01-01..2025-01-01 is 1). */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** A calendar day shifted by whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * A UTC window surely containing every instant of `day` in any zone (±14 h): SQL narrows with it,
 * then `dayOf` keeps exactly the instants of that day in the unit's zone.
 */
export function utcWindow(from: string, to: string): { start: string; end: string } {
  return { start: `${addDays(from, -1)}T00:00:00.000Z`, end: `${addDays(to, 2)}T00:00:00.000Z` };
}

export const inDay = (instant: string, day: string, timeZone: string) => dayOf(instant, timeZone) === day;

const wallClock = new Map<string, Intl.DateTimeFormat>();

/** "YYYY-MM-DD HH:MM" in the unit's zone: what a spreadsheet reads as a date-time in any locale. */
export function localDateTime(instant: string | null | undefined, timeZone: string): string {
  if (!instant) return '';
  let format = wallClock.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    wallClock.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
