import { Problem } from '../http/problem';
import { MAX_RANGE_DAYS, daysInRange, isCalendarDay } from './dates';

const invalid = (field: string, fr: string, en: string) =>
  new Problem(400, 'validation_failed', { fr, en }, { errors: [{ field, message: en }] });

/** A day given in a query (YYYY-MM-DD and a real date), or a problem+json 400 naming the field. */
export function checkDay(field: string, value: string): string {
  if (!isCalendarDay(value))
    throw invalid(field, `« ${field} » doit être une date réelle au format AAAA-MM-JJ.`, `“${field}” must be a real date written YYYY-MM-DD.`);
  return value;
}

/** from ≤ to, both real days, at most MAX_RANGE_DAYS days. */
export function checkRange(from: string, to: string): { from: string; to: string } {
  checkDay('from', from);
  checkDay('to', to);
  if (from > to) throw invalid('to', 'La date de fin précède la date de début.', 'The end date is before the start date.');
  if (daysInRange(from, to) > MAX_RANGE_DAYS)
    throw invalid(
      'to',
      `La période dépasse ${MAX_RANGE_DAYS} jours : exportez-la en plusieurs fois.`,
      `The range exceeds ${MAX_RANGE_DAYS} days: export it in several parts.`,
    );
  return { from, to };
}
