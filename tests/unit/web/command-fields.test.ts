import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, commandPayloads, commandSchemas, fold, type CaseState, type CommandType } from '$shared';
import { limitsOf, payloadOf, simpleFields, visibleFields, type FieldSpec } from '$lib/command-fields';
import type { Room } from '$lib/api/client';
import { PATH, play } from '../helpers/scenario';

// What a filled command form sends must be what the server's schema for that command accepts: the
// form and the route read the same schema (shared/domain/commands.ts), and these tests hold them to it.
const accepts = (type: CommandType, payload: Record<string, unknown>) =>
  Compile(commandSchemas[type] as TSchema).Check({ type, expectedVersion: 1, ...payload });

const ROOMS: Room[] = [
  { id: 'r1', name: 'Salle 1', status: 'occupied', caseId: 'other', since: '2025-03-10T08:00:00.000Z' },
  { id: 'r2', name: 'Salle 2', status: 'free', caseId: null, since: '2025-03-10T08:00:00.000Z' },
  { id: 'r3', name: 'Salle 3', status: 'free', caseId: null, since: '2025-03-10T08:00:00.000Z' },
];
const stateAt = (steps: typeof PATH.scheduled): CaseState => fold(play(steps));
const field = (fields: FieldSpec[], name: string) => fields.find((f) => f.name === name)!;

/** A plausible value for each field, as a nurse would type it (a temperature without its sign). */
function typed(f: FieldSpec): string {
  switch (f.kind) {
    case 'number':
      return String(f.initial ?? Math.min(f.max, Math.max(f.min, f.negative ? 80 : 5)));
    case 'select':
      return f.initial ?? f.options.find((o) => !o.disabled)!.value;
    case 'choice':
      return f.options[0]!.value;
    case 'toggle':
      return '';
    default:
      // The one patterned text of these forms is a phone number.
      return f.pattern ? '+33 6 12 34 56 78' : 'x'.repeat(Math.max(f.minLength, 8));
  }
}

describe('simple command forms', () => {
  it('send, filled in, a payload the server’s schema accepts, for every command they draw', () => {
    const state = stateAt(PATH.probePlaced);
    let drawn = 0;
    for (const type of COMMAND_TYPES) {
      const fields = simpleFields(type, state, ROOMS);
      if (fields === null) continue;
      drawn += 1;
      const values = Object.fromEntries(fields.map((f) => [f.name, typed(f)]));
      expect(accepts(type, payloadOf(fields, values)), type).toBe(true);
    }
    expect(drawn).toBeGreaterThan(10);
  });

  it('leave empty optional fields out, and send a required one left empty as missing, so the server refuses it', () => {
    const fields = simpleFields('transfer', stateAt(PATH.admitted), ROOMS)!;
    expect(payloadOf(fields, { destination: '  Cardiologie ', note: '   ' })).toEqual({ destination: 'Cardiologie' });
    expect(accepts('transfer', payloadOf(fields, { destination: '', note: 'x' }))).toBe(false);
  });

  it('send a temperature typed without its sign as negative, with a comma or a minus sign as typed on a keypad', () => {
    const fields = simpleFields('end_freeze', stateAt(PATH.freezing), ROOMS)!;
    expect(payloadOf(fields, { lowestTempC: '82', iceBallMm: '9', thawMode: 'passive' })).toEqual({ lowestTempC: -82, iceBallMm: 9, thawMode: 'passive' });
    expect(payloadOf(fields, { lowestTempC: '−45,5', thawMode: 'active' })).toMatchObject({ lowestTempC: -45.5 });
    expect(field(fields, 'lowestTempC')).toMatchObject({ kind: 'number', required: true, negative: true });
  });

  it('drop the temperature and ice ball once "no ice ball" is ticked, and the schema takes that payload', () => {
    const fields = simpleFields('end_freeze', stateAt(PATH.freezing), ROOMS)!;
    const values = { noIceBall: 'true', lowestTempC: '80', iceBallMm: '9', thawMode: 'passive' };
    expect(visibleFields(fields, values).map((f) => f.name)).toEqual(['noIceBall', 'thawMode']);
    const payload = payloadOf(fields, values);
    expect(payload).toEqual({ noIceBall: true, thawMode: 'passive' });
    expect(accepts('end_freeze', payload)).toBe(true);
  });

  it('offer the planned room when free, else the first free one, and no occupied room', () => {
    const planned = simpleFields('enter_room', { ...stateAt(PATH.ready), plannedRoomId: 'r3' }, ROOMS)!;
    expect(field(planned, 'roomId')).toMatchObject({ initial: 'r3' });
    const busy = simpleFields('enter_room', { ...stateAt(PATH.ready), plannedRoomId: 'r1' }, ROOMS)!;
    const room = field(busy, 'roomId') as Extract<FieldSpec, { kind: 'select' }>;
    expect(room.initial).toBe('r2');
    expect(room.options.filter((o) => o.disabled).map((o) => o.value)).toEqual(['r1']);
  });

  it('propose the last cycle’s gas and duration for the next freeze', () => {
    const fields = simpleFields('start_freeze', stateAt(PATH.cycled), ROOMS)!;
    const last = stateAt(PATH.cycled).cycles.at(-1)!;
    expect(field(fields, 'gas')).toMatchObject({ initial: last.gas });
    expect(field(fields, 'plannedSeconds')).toMatchObject({ initial: last.plannedSeconds });
  });

  it('send a CIRSE grade as a number, which the schema requires', () => {
    const fields = simpleFields('record_complication', stateAt(PATH.probePlaced), ROOMS)!;
    const payload = payloadOf(fields, { kind: typed(field(fields, 'kind')), grade: '2', note: '' });
    expect(payload.grade).toBe(2);
    expect(accepts('record_complication', payload)).toBe(true);
  });

  it('take the limits of each text field from the schema, so the browser refuses what the server would', () => {
    const fields = simpleFields('abort', stateAt(PATH.probePlaced), ROOMS)!;
    const reason = field(fields, 'reason') as Extract<FieldSpec, { kind: 'textarea' }>;
    const tooLong = 'x'.repeat(reason.maxLength + 1);
    expect(accepts('abort', { reason: 'x'.repeat(reason.maxLength) })).toBe(true);
    expect(accepts('abort', { reason: tooLong })).toBe(false);
  });

  it('leave the richer forms to their own components, and draw nothing for a command without payload', () => {
    const state = stateAt(PATH.ready);
    expect(simpleFields('record_checklist', state, ROOMS)).toBeNull();
    expect(simpleFields('mark_ready', state, ROOMS)).toEqual([]);
  });

  it('give the richer forms each field’s range and whether it may be left blank, as the schema says', () => {
    const vitals = commandPayloads.record_vitals;
    const heartRate = limitsOf(vitals.heartRate);
    expect(heartRate['~optional']).toBe(false);
    expect(heartRate.minimum).toBeGreaterThan(0);
    expect(heartRate.maximum).toBeLessThan(1000);
    // The temperature and the pain score are optional with the vitals: the form must not require them.
    expect(limitsOf(vitals.temperatureC)['~optional']).toBe(true);
    expect(limitsOf(vitals.painScore)['~optional']).toBe(true);
  });
});
