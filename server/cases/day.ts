/** The calendar day (YYYY-MM-DD) of an instant in the unit's time zone: what "today's list" means. */
export function dayOf(instant: string | Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    typeof instant === 'string' ? new Date(instant) : instant,
  );
  return parts;
}
