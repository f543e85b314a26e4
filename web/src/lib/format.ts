import { dayOf, nearestWallTime, wallTimeToIso, type Lang } from '$shared';
import { clock } from '$lib/state/clock.svelte';
import { unitZone } from '$lib/state/unit-zone.svelte';

// Times are always shown in the unit's time zone (state/unit-zone), whatever the device's own setting.

const locale = (lang: Lang) => (lang === 'fr' ? 'fr-FR' : 'en-GB');

export function clockTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale(lang), { hour: '2-digit', minute: '2-digit', timeZone: unitZone.current }).format(new Date(iso));
}

export function dateTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'short', timeZone: unitZone.current }).format(new Date(iso));
}

export function longDate(day: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

export function birthDate(day: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
}

/** Elapsed time as m:ss under an hour, h:mm:ss beyond (a freeze, a stage, a turnover). */
export function duration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** Minutes only, for longer waits shown on the board ("12 min", "1 h 05"). */
export function minutes(ms: number, lang: Lang): string {
  const total = Math.max(0, Math.floor(ms / 60_000));
  if (total < 60) return `${total} min`;
  const h = Math.floor(total / 60);
  const m = String(total % 60).padStart(2, '0');
  return lang === 'fr' ? `${h} h ${m}` : `${h} h ${m}`;
}

/** The calendar day (YYYY-MM-DD) of an instant in the unit's time zone. */
export const unitDay = (instant: string | number | Date): string => dayOf(instant, unitZone.current);

/** HH:MM of an instant in the unit's time zone, for a time input. */
export function unitHourMinute(instant: string | number | Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: unitZone.current, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(instant),
  );
}

/** A wall-clock day and HH:MM in the unit's time zone, as an ISO instant. */
export const unitTimeToIso = (day: string, hourMinute: string): string => wallTimeToIso(day, hourMinute, unitZone.current);

/** "When did it happen", typed as HH:MM on the unit's wall clock: the instant at that time nearest the server's clock. */
export const nearestAt = (hourMinute: string): string => nearestWallTime(clock.current(), hourMinute, unitZone.current);

/** Now on the server's clock, as this device estimates it. */
export const nowIso = (): string => new Date(clock.current()).toISOString();
