// ISO-8601 arithmetic without reading the clock: "now" is always passed in by the caller.
export const ms = (iso: string): number => Date.parse(iso);

export const minutesBetween = (from: string, to: string): number => (ms(to) - ms(from)) / 60_000;

export const addSeconds = (iso: string, seconds: number): string =>
  new Date(ms(iso) + seconds * 1000).toISOString();

export const isValidInstant = (iso: string): boolean => Number.isFinite(ms(iso));
