import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, commandSchemas, scheduleCaseBody } from '../../shared';
import { fullChecklist, scheduleBody } from './helpers/scenario';

const check = (schema: TSchema, value: unknown): boolean => Compile(schema).Check(value);

// Every string must be bounded (the web forms read maxLength), every number too.
function unbounded(schema: unknown, path = ''): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  const out: string[] = [];
  if (s.type === 'string' && s.maxLength === undefined && s.const === undefined) out.push(path);
  if ((s.type === 'number' || s.type === 'integer') && (s.minimum === undefined || s.maximum === undefined)) out.push(path);
  if (s.type === 'array' && s.maxItems === undefined) out.push(path);
  for (const [k, v] of Object.entries(s)) {
    if (Array.isArray(v)) v.forEach((item, i) => out.push(...unbounded(item, `${path}/${k}/${i}`)));
    else if (typeof v === 'object') out.push(...unbounded(v, `${path}/${k}`));
  }
  return out;
}

describe('command schemas', () => {
  it('exist for every command, with type, expectedVersion and optional occurredAt, closed', () => {
    for (const type of COMMAND_TYPES) {
      const schema = commandSchemas[type] as unknown as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
      expect(schema.additionalProperties).toBe(false);
      expect(schema.required).toEqual(expect.arrayContaining(['type', 'expectedVersion']));
      expect(schema.required).not.toContain('occurredAt');
      expect(schema.properties.occurredAt).toMatchObject({ format: 'date-time' });
      expect(unbounded(schema), type).toEqual([]);
    }
    expect(unbounded(scheduleCaseBody)).toEqual([]);
  });

  it('accept a valid body and refuse extra fields, bad types and out-of-range values', () => {
    const s = commandSchemas.start_freeze;
    expect(check(s, { type: 'start_freeze', expectedVersion: 7, gas: 'n2o', plannedSeconds: 120 })).toBe(true);
    expect(check(s, { type: 'start_freeze', expectedVersion: 7, gas: 'n2o', plannedSeconds: 120, occurredAt: '2025-03-10T09:00:00Z' })).toBe(true);
    expect(check(s, { type: 'start_freeze', expectedVersion: 7, gas: 'n2o', plannedSeconds: 120, extra: 1 })).toBe(false);
    expect(check(s, { type: 'start_freeze', expectedVersion: 7, gas: 'argon', plannedSeconds: 120 })).toBe(false);
    expect(check(s, { type: 'start_freeze', expectedVersion: 7, gas: 'n2o', plannedSeconds: 10 })).toBe(false);
    expect(check(s, { type: 'start_freeze', expectedVersion: -1, gas: 'n2o', plannedSeconds: 120 })).toBe(false);
    expect(check(s, { type: 'end_freeze', expectedVersion: 1, gas: 'n2o', plannedSeconds: 120 })).toBe(false);
    expect(check(commandSchemas.record_checklist, { ...fullChecklist, expectedVersion: 0 })).toBe(true);
    expect(check(commandSchemas.record_padss, { type: 'record_padss', expectedVersion: 0, vitalSigns: 3, activity: 2, nauseaVomiting: 2, pain: 2, bleeding: 2 })).toBe(false);
    expect(check(commandSchemas.abort, { type: 'abort', expectedVersion: 0, reason: 'x'.repeat(501) })).toBe(false);
  });

  it('the schedule body', () => {
    expect(check(scheduleCaseBody, scheduleBody())).toBe(true);
    expect(check(scheduleCaseBody, { ...scheduleBody(), plannedTargets: [] })).toBe(false);
    expect(check(scheduleCaseBody, { ...scheduleBody(), patient: { ...scheduleBody().patient, birthDate: '12/04/1961' } })).toBe(false);
    expect(check(scheduleCaseBody, { ...scheduleBody(), plannedRoomId: null })).toBe(true);
  });
});
