import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, commandPayloads, commandSchemas, scheduleCaseBody } from '../../shared';
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

describe('free-text reasons', () => {
  // The server validates with ajv (fastify), the tablets with TypeBox and the HTML pattern attribute
  // (implicitly anchored, v flag): all three must draw the same line.
  const ajv = addFormats(new Ajv({ strict: false }));
  // The pattern as the web forms read it: from the command's own schema.
  const patternOf = (schema: unknown) => (schema as { pattern: string }).pattern;
  const html = new RegExp(`^(?:${patternOf(commandPayloads.abort.reason)})$`, 'v');
  const bodies = (text: string) => [
    { type: 'abort', expectedVersion: 3, reason: text },
    { type: 'override_discharge_score', expectedVersion: 3, reason: text },
    { type: 'correct_last', expectedVersion: 3, reason: text },
  ] as const;
  const blank = ['   ', '\t\t\t\t', ' \n \n ', 'a  b', ' ab ', 'ab'];
  const meaningful = ['abc', 'Malaise vagal', '  a b c  ', 'x\ny\nz', 'é à ü'];

  it('need at least 3 non-blank characters, with ajv, TypeBox and an HTML pattern alike', () => {
    for (const text of blank) {
      for (const body of bodies(text)) {
        expect(ajv.validate(commandSchemas[body.type], body), `ajv ${body.type} ${JSON.stringify(text)}`).toBe(false);
        expect(check(commandSchemas[body.type], body), `typebox ${JSON.stringify(text)}`).toBe(false);
      }
      expect(html.test(text), `html ${JSON.stringify(text)}`).toBe(false);
    }
    for (const text of meaningful) {
      for (const body of bodies(text)) {
        expect(ajv.validate(commandSchemas[body.type], body), `ajv ${body.type} ${JSON.stringify(text)}`).toBe(true);
        expect(check(commandSchemas[body.type], body)).toBe(true);
      }
      expect(html.test(text), `html ${JSON.stringify(text)}`).toBe(true);
    }
  });

  it('a transfer names a real destination', () => {
    const transfer = (destination: string) => ({ type: 'transfer', expectedVersion: 3, destination });
    const htmlNonBlank = new RegExp(`^(?:${patternOf(commandPayloads.transfer.destination)})$`, 'v');
    for (const [destination, ok] of [['   ', false], ['\t', false], ['Réa', true], [' USC ', true]] as const) {
      expect(ajv.validate(commandSchemas.transfer, transfer(destination)), destination).toBe(ok);
      expect(check(commandSchemas.transfer, transfer(destination)), destination).toBe(ok);
      expect(htmlNonBlank.test(destination), destination).toBe(ok);
    }
  });
});
