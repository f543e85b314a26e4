import { describe, expect, it } from 'vitest';
import { fold, reopenedFreezeEnd, type Actor, type CaseEvent } from '../../shared';

const radio: Actor = { id: 'r', name: 'Dr Roche', role: 'radiologist' };
const T0 = Date.parse('2026-03-10T08:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
const ev = (type: CaseEvent['type'], min: number, data: Record<string, unknown> = {}) => ({ type, occurredAt: at(min), recordedAt: at(min), actor: radio, data }) as CaseEvent;
const target = { nerve: 'genicular', side: 'right' };
const inRoom = [
  ev('CaseScheduled', -60, { caseId: 'x', patient: { firstName: 'A', lastName: 'B', mrn: 'M', birthDate: '1970-01-01' }, scheduledAt: at(0), plannedRoomId: 'room-1', plannedTargets: [target] }),
  ev('PatientAdmitted', 0),
  ev('PatientMarkedReady', 5),
  ev('RoomEntered', 10, { roomId: 'room-1' }),
  ev('LocalAnesthesiaGiven', 12, { agent: 'Lido' }),
  ev('ProbePositioned', 14, { target, guidance: 'ultrasound', probe: { type: 'P', gauge: 14 } }),
];
const corrected = (min: number, type: CaseEvent['type'] = 'FreezeEnded') => ev('LastCorrected', min, { reason: 'mauvaise saisie', correctedType: type });

describe('the original end of a corrected freeze', () => {
  it('given a freeze ended at 20 then its end corrected at 40, then the end offered is 20', () => {
    const state = fold([...inRoom, ev('FreezeStarted', 15, { gas: 'n2o', plannedSeconds: 180 }), ev('FreezeEnded', 20, { lowestTempC: -8, thawMode: 'passive' }), corrected(40)]);
    expect(state.stage).toBe('freezing');
    expect(reopenedFreezeEnd(state)).toBe(at(20));
  });

  it('given a running freeze never ended, or a correction of something else, then nothing is offered', () => {
    expect(reopenedFreezeEnd(fold([...inRoom, ev('FreezeStarted', 15, { gas: 'n2o', plannedSeconds: 180 })]))).toBeNull();
    const vitalsCorrected = fold([
      ...inRoom,
      ev('FreezeStarted', 15, { gas: 'n2o', plannedSeconds: 180 }),
      ev('VitalsRecorded', 16, { heartRate: 70, systolic: 120, diastolic: 80, spo2: 98 }),
      corrected(17, 'VitalsRecorded'),
    ]);
    expect(reopenedFreezeEnd(vitalsCorrected)).toBeNull();
  });

  it('given the freeze ended again, then nothing is offered any more', () => {
    const state = fold([
      ...inRoom,
      ev('FreezeStarted', 15, { gas: 'n2o', plannedSeconds: 180 }),
      ev('FreezeEnded', 20, { lowestTempC: -8, thawMode: 'passive' }),
      corrected(40),
      ev('FreezeEnded', 20, { lowestTempC: -80, thawMode: 'passive' }),
    ]);
    expect(reopenedFreezeEnd(state)).toBeNull();
  });
});
