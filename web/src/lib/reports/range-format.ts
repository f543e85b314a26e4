import { language } from '$lib/i18n/language.svelte';

// How the range report writes its numbers: one decimal at most, rates as percentages, a dash for none.
export const rangeNumber = (n: number | null | undefined): string =>
  n == null ? '—' : new Intl.NumberFormat(language.locale, { maximumFractionDigits: 1 }).format(n);

export const rangeShare = (rate: number | null | undefined): string =>
  rate == null ? '—' : new Intl.NumberFormat(language.locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);

/** A calendar day as the unit reads it ("27 mars 2026"): the day itself, no time zone to cross. */
export const rangeDay = (day: string): string =>
  new Intl.DateTimeFormat(language.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
