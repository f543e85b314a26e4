import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, GS, caseDevices, fold, type CaseState, type Command } from '../../shared';
import { PATH, endFreeze, given, nurse, play, positionProbe, startFreeze } from './helpers/scenario';

const withCheckDigit = (body: string): string => {
  const sum = [...body].reverse().reduce((total, digit, i) => total + Number(digit) * (i % 2 === 0 ? 3 : 1), 0);
  return body + String((10 - (sum % 10)) % 10);
};
const GTIN = withCheckDigit('0761234500017');
const TYPO = GTIN.slice(0, 12) + String((Number(GTIN[12]) + 1) % 10) + GTIN[13];
// The scenarios run on 2025-03-10 (Paris).
const probeWith = (device: unknown) => ({ ...positionProbe, device }) as Command;
const introducer = (device: unknown) => ({ type: 'record_device', kind: 'introducer', device }) as Command;

describe('device_expired: a device past its expiry on the day of the act is refused', () => {
  it('scanned: expired the day before, refused; expiring that day, allowed', () => {
    given(play(PATH.anesthetised)).when(probeWith({ udi: `(01)${GTIN}(17)250309(10)LOT1` })).rejects('device_expired', 'rule_violated');
    const s = given(play(PATH.anesthetised))
      .when(probeWith({ udi: `(01)${GTIN}(17)250310(10)LOT1` }))
      .then([{ type: 'ProbePositioned', data: { device: { gtin: GTIN, lot: 'LOT1', expiry: '2025-03-10' } } }]);
    expect(s.probe.device).toMatchObject({ lot: 'LOT1' });
  });

  it('typed: the same rule on the typed expiry, and day 00 of the month before is already past', () => {
    given(play(PATH.anesthetised)).when(probeWith({ gtin: GTIN, lot: 'LOT1', expiry: '2025-03-09' })).rejects('device_expired');
    given(play(PATH.anesthetised)).when(probeWith({ udi: `(01)${GTIN}(17)250200(10)LOT1` })).rejects('device_expired');
    given(play(PATH.anesthetised)).when(probeWith({ gtin: GTIN, lot: 'LOT1', expiry: '2025-03-31' })).then([{ type: 'ProbePositioned' }]);
  });

  it('the act’s day is the unit’s: 23:40 UTC on the 9th is already the 10th in Paris', () => {
    const lateEvening = play(PATH.anesthetised, { startAt: -520 });
    const probe = { ...probeWith({ gtin: GTIN, lot: 'L', expiry: '2025-03-09' }), occurredAt: '2025-03-09T23:40:00.000Z' };
    given(lateEvening).at('2025-03-09T23:41:00.000Z').when(probe).rejects('device_expired');
    given(lateEvening).at('2025-03-09T23:41:00.000Z').withSettings({ ...DEFAULT_SETTINGS, timeZone: 'UTC' }).when(probe).then([{ type: 'ProbePositioned' }]);
  });
});

describe('device_gtin_check_digit: a GTIN with a wrong check digit is a typo', () => {
  it('typed GTIN refused, the right one allowed', () => {
    given(play(PATH.anesthetised)).when(probeWith({ gtin: TYPO, lot: 'LOT1' })).rejects('device_gtin_check_digit');
    given(play(PATH.anesthetised)).when(probeWith({ gtin: GTIN, lot: 'LOT1' })).then([{ type: 'ProbePositioned', data: { device: { gtin: GTIN, lot: 'LOT1' } } }]);
  });

  it('scanned GTIN refused, the right one allowed (raw form)', () => {
    given(play(PATH.anesthetised)).when(probeWith({ udi: `01${TYPO}10LOT1` })).rejects('device_gtin_check_digit');
    given(play(PATH.anesthetised)).when(probeWith({ udi: `]d201${GTIN}10LOT1${GS}21S9` })).then([{ type: 'ProbePositioned', data: { device: { lot: 'LOT1', serial: 'S9' } } }]);
  });

  it('a 13-digit EAN typed from the box is its GTIN-14', () => {
    given(play(PATH.anesthetised)).when(probeWith({ gtin: '4006381333931', lot: 'X' })).then([{ type: 'ProbePositioned', data: { device: { gtin: '04006381333931' } } }]);
  });
});

describe('device_udi_unreadable and device_lot_missing', () => {
  it('an unreadable scan is refused, a readable one allowed', () => {
    given(play(PATH.anesthetised)).when(probeWith({ udi: 'hello' })).rejects('device_udi_unreadable');
    given(play(PATH.anesthetised)).when(probeWith({ udi: `(01)${GTIN}(10)LOT1` })).then([{ type: 'ProbePositioned' }]);
  });
  it('a scan naming no lot and no serial traces nothing; a serial alone does', () => {
    given(play(PATH.anesthetised)).when(probeWith({ udi: `(01)${GTIN}(17)271231` })).rejects('device_lot_missing');
    given(play(PATH.anesthetised)).when(probeWith({ udi: `(01)${GTIN}(17)271231(21)SN7` })).then([{ type: 'ProbePositioned' }]);
  });
});

describe('where the device lands', () => {
  it('in the probe, each cycle it froze, and the case’s devices (once, even moved to another target)', () => {
    const scanned = { ...positionProbe, device: { udi: `(01)${GTIN}(17)271231(10)LOT1` } } as never;
    const s = fold(play([...PATH.anesthetised, scanned, startFreeze, endFreeze, { type: 'end_thaw' }, startFreeze]));
    expect(s.cycles.map((c) => c.device?.lot)).toEqual(['LOT1', 'LOT1']);
    expect(caseDevices(s)).toEqual([
      expect.objectContaining({ kind: 'cryoprobe', gtin: GTIN, lot: 'LOT1', expiry: '2027-12-31', target: { nerve: 'intercostal', level: 'T5', side: 'left' } }),
    ]);
  });

  it('record_device: the nurse scans the introducer during the procedure; not before the room', () => {
    given(play(PATH.ready)).by(nurse).when(introducer({ gtin: GTIN, lot: 'INT9' })).rejects('wrong_stage', 'not_allowed_in_stage');
    const s = given(play(PATH.probePlaced)).by(nurse).when(introducer({ gtin: GTIN, lot: 'INT9' })).then([{ type: 'DeviceRecorded', data: { kind: 'introducer', device: { lot: 'INT9' } } }]);
    expect(caseDevices(s)).toEqual([expect.objectContaining({ kind: 'introducer', lot: 'INT9', by: nurse })]);
    given(play(PATH.probePlaced)).by(nurse).when(introducer({ gtin: GTIN, lot: 'INT9', expiry: '2025-01-01' })).rejects('device_expired');
  });

  it('a projection stored before devices existed reads as no devices', () => {
    const s = fold(play(PATH.probePlaced));
    const { devices: _gone, ...old } = s;
    expect(caseDevices(old as CaseState)).toEqual([]);
  });
});
