// Periods of the range report, on calendar days (YYYY-MM-DD) already taken in the unit's time zone:
// a case's day is fixed when it is booked (its scheduled instant read in Europe/Paris), so grouping
// days into ISO weeks and calendar months needs date arithmetic only, and a DST change cannot move a
// case into the wrong week. UTC is used below as a calendar with no daylight saving, never as a zone.

export const GROUP_BYS = ['day', 'week', 'month'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export const PERIOD_PRESETS = ['thisMonth', 'lastMonth', 'last3Months', 'last12Months'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export interface Period {
  /** `2026-03-29`, `2026-W13` or `2026-03`. */
  key: string;
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const toUtc = (day: string) => Date.parse(`${day}T00:00:00Z`);
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const shiftDays = (day: string, days: number): string => fromUtc(toUtc(day) + days * DAY_MS);

/** The first day of the month `months` months away from `day`'s month. */
export function monthStart(day: string, months = 0): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return fromUtc(Date.UTC(y, m - 1 + months, 1));
}

export const monthEnd = (day: string): string => shiftDays(monthStart(day, 1), -1);

/** Monday = 0 … Sunday = 6. */
const isoWeekday = (day: string) => (new Date(toUtc(day)).getUTCDay() + 6) % 7;

/** ISO 8601 week: weeks start on Monday, and week 1 holds the year's first Thursday (2027-01-01 is in 2026-W53). */
export function isoWeek(day: string): { year: number; week: number; monday: string } {
  const monday = shiftDays(day, -isoWeekday(day));
  const thursday = shiftDays(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((toUtc(thursday) - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return { year, week, monday };
}

function periodOf(day: string, groupBy: GroupBy): { key: string; start: string; end: string } {
  if (groupBy === 'day') return { key: day, start: day, end: day };
  if (groupBy === 'month') return { key: day.slice(0, 7), start: monthStart(day), end: monthEnd(day) };
  const { year, week, monday } = isoWeek(day);
  return { key: `${year}-W${String(week).padStart(2, '0')}`, start: monday, end: shiftDays(monday, 6) };
}

export const periodKey = (day: string, groupBy: GroupBy): string => periodOf(day, groupBy).key;

/** Every period touching from..to, in order, each cut to the range: a range starting on a Wednesday starts its first week there. */
export function periodsOf(from: string, to: string, groupBy: GroupBy): Period[] {
  const out: Period[] = [];
  for (let day = from; day <= to; ) {
    const { key, end } = periodOf(day, groupBy);
    const last = end < to ? end : to;
    out.push({ key, from: day, to: last });
    day = shiftDays(last, 1);
  }
  return out;
}

/**
 * The ranges the Reports tab offers, from today (the unit's day): this month so far, last month whole,
 * and the last 3 or 12 months as this month so far and the 2 or 11 whole months before it (at most
 * 366 days, the longest range a report accepts).
 */
export function presetRange(preset: PeriodPreset, today: string): { from: string; to: string } {
  switch (preset) {
    case 'thisMonth':
      return { from: monthStart(today), to: today };
    case 'lastMonth':
      return { from: monthStart(today, -1), to: monthEnd(monthStart(today, -1)) };
    case 'last3Months':
      return { from: monthStart(today, -2), to: today };
    case 'last12Months':
      return { from: monthStart(today, -11), to: today };
  }
}
