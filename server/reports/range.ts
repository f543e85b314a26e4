import { GROUP_BYS, translate, type GroupBy, type Message } from '../../shared';
import { Problem } from '../http/problem';
import { MAX_RANGE_DAYS, daysInRange, isCalendarDay } from './dates';

const invalid = (field: string, detail: Message) =>
  new Problem(400, 'validation_failed', detail, { errors: [{ field, message: translate('en', detail) }] });

/** A day given in a query (YYYY-MM-DD and a real date), or a problem+json 400 naming the field. */
export function checkDay(field: string, value: string): string {
  if (!isCalendarDay(value))
    throw invalid(field, { key: 'problem.day_invalid', params: { field } });
  return value;
}

/** from ≤ to, both real days, at most MAX_RANGE_DAYS days. */
export function checkRange(from: string, to: string): { from: string; to: string } {
  checkDay('from', from);
  checkDay('to', to);
  if (from > to) throw invalid('to', { key: 'problem.range_reversed' });
  if (daysInRange(from, to) > MAX_RANGE_DAYS)
    throw invalid('to', { key: 'problem.range_too_long' });
  return { from, to };
}

/** day, week or month (a report over periods), or a problem+json 400 naming the field. */
export function checkGroupBy(value: string | undefined): GroupBy {
  const groupBy = value ?? 'month';
  if (!(GROUP_BYS as readonly string[]).includes(groupBy)) throw invalid('groupBy', { key: 'problem.group_by_invalid' });
  return groupBy as GroupBy;
}
