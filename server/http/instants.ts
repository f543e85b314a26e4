import { utcInstant } from '../../shared';
import { problems } from './problem';

/**
 * The body with each named instant rewritten in the one stored form (UTC, `Z`), or a 400 naming the
 * field: JSON Schema's date-time accepts what JavaScript cannot read (a leap second) and offsets that
 * would break the text comparisons of the event log.
 */
export function withUtcInstants<T extends object>(body: T, fields: readonly string[]): T {
  const out = { ...body } as Record<string, unknown>;
  for (const field of fields) {
    const value = out[field];
    if (typeof value !== 'string') continue;
    const instant = utcInstant(value);
    if (instant === null) throw problems.validation([{ field, message: 'must be a readable date-time' }]);
    out[field] = instant;
  }
  return out as T;
}
