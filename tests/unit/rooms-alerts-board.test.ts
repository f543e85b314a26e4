import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, alertsFor, clockAlerts, decideRoomReady, fold, roomChange, toBoardCase } from '../../shared';
import { CASE_ID, PATH, at, endFreeze, freeRooms, given, normalVitals, nurse, play, radiologist, scheduleBody, type Step } from './helpers/scenario';

const codes = (events: ReturnType<typeof play>, now: string) => alertsFor(fold(events), now, DEFAULT_SETTINGS).map((a) => a.code);

describe('rooms follow the case', () => {
  it('enter_room occupies, start_observation sends to cleaning, room_ready frees', () => {
    const ready = fold(play(PATH.ready));
    const inRoom = fold(play(PATH.inRoom));
    expect(roomChange(ready, inRoom)).toEqual({ roomId: 'r1', status: 'occupied', caseId: CASE_ID });
    expect(roomChange(fold(play(PATH.anesthetised)), fold(play(PATH.probePlaced)))).toBeNull();
    expect(roomChange(fold(play(PATH.dressed)), fold(play(PATH.observing)))).toEqual({ roomId: 'r1', status: 'cleaning', caseId: null });
    expect(roomChange(null, fold(play(PATH.scheduled)))).toBeNull();
  });

  it('a transfer from the room sends it to cleaning; undoing enter_room frees it', () => {
    const inRoom = play(PATH.inRoom);
    const transferred = given(inRoom).by(radiologist).when({ type: 'transfer', destination: 'Réa' }).then([{ type: 'PatientTransferred' }]);
    expect(roomChange(fold(inRoom), transferred)).toEqual({ roomId: 'r1', status: 'cleaning', caseId: null });
    const undone = given(inRoom).when({ type: 'correct_last', reason: 'mauvais patient' }).then([{ type: 'LastCorrected' }]);
    expect(roomChange(fold(inRoom), undone)).toEqual({ roomId: 'r1', status: 'free', caseId: null });
  });

  it('room_ready: a nurse, only when cleaning', () => {
    const [free, occupied, cleaning] = freeRooms() as [never, never, never];
    expect(decideRoomReady(cleaning, nurse)).toEqual({ ok: true, room: { id: 'r3', name: 'Salle 3', status: 'free', caseId: null } });
    for (const room of [free, occupied]) {
      const d = decideRoomReady(room, nurse);
      expect(d.ok ? null : d.rejection.rule).toBe('room_not_cleaning');
    }
    const d = decideRoomReady(cleaning, radiologist);
    expect(d.ok ? null : d.rejection.code).toBe('forbidden');
  });
});

describe('alerts', () => {
  it('abnormal vitals', () => {
    const events = play([...PATH.inRoom, { ...normalVitals, spo2: 88 } as Step]);
    expect(codes(events, at(10))).toContain('vitals_abnormal');
    const fixed = play([...PATH.inRoom, { ...normalVitals, spo2: 88 } as Step, normalVitals]);
    expect(codes(fixed, at(10))).not.toContain('vitals_abnormal');
  });

  it('freeze running past its planned time', () => {
    const events = play(PATH.freezing);
    const started = fold(events).cycles[0]!.freezeStartedAt;
    const after = (s: number) => new Date(Date.parse(started) + s * 1000).toISOString();
    expect(codes(events, after(120))).not.toContain('freeze_overrun');
    const alerts = alertsFor(fold(events), after(121), DEFAULT_SETTINGS);
    expect(alerts).toContainEqual({ code: 'freeze_overrun', since: after(120) });
    expect(codes(play([...PATH.freezing, endFreeze]), after(500))).not.toContain('freeze_overrun');
  });

  it('sedated patient with no escort', () => {
    // Sedated at minute 5: within the vitals interval of the sedation watch.
    const s = fold(play([...PATH.inRoom, { type: 'give_sedation', drug: 'midazolam' }]));
    expect(alertsFor(s, at(8), DEFAULT_SETTINGS)).toEqual([]);
    const lost = { ...s, checklist: { ...s.checklist, escort: null } };
    expect(alertsFor(lost, at(8), DEFAULT_SETTINGS).map((a) => a.code)).toEqual(['sedated_without_escort']);
  });

  it('observation overdue: past the required time plus the configured margin', () => {
    const events = play(PATH.observing); // started at minute 100, not sedated: 15 + 30
    expect(codes(events, at(145))).not.toContain('observation_overdue');
    expect(codes(events, at(146))).toContain('observation_overdue');
  });

  it('waiting in ready over 45 min', () => {
    const events = play(PATH.ready);
    const since = fold(events).stageHistory.at(-1)!.at;
    const plus = (m: number) => new Date(Date.parse(since) + m * 60_000).toISOString();
    expect(codes(events, plus(45))).toEqual([]);
    expect(codes(events, plus(46))).toEqual(['waiting_ready_too_long']);
  });

  it('none once the case is closed', () => {
    expect(codes(play(PATH.discharged), at(400))).toEqual([]);
  });
});

describe('board privacy', () => {
  it('shows initials, never the name, MRN or birth date', () => {
    const body = scheduleBody();
    for (const path of [PATH.scheduled, PATH.freezing, PATH.observing, PATH.discharged]) {
      const state = fold(play(path));
      for (const mode of ['initials', 'initials_slot'] as const) {
        const board = toBoardCase(state, at(200), DEFAULT_SETTINGS, mode);
        const json = JSON.stringify(board);
        for (const secret of [body.patient.firstName, body.patient.lastName, body.patient.mrn, body.patient.birthDate, '1961'])
          expect(json).not.toContain(secret);
        expect(board.label.startsWith('J.D.')).toBe(true);
        expect(Object.keys(board)).not.toEqual(expect.arrayContaining(['patient']));
      }
    }
  });

  it('carries what the wall screen needs', () => {
    const board = toBoardCase(fold(play(PATH.freezing)), at(60), DEFAULT_SETTINGS, 'initials_slot');
    expect(board).toMatchObject({ id: CASE_ID, stage: 'freezing', roomId: 'r1', nextStep: 'end_freeze', cycleCount: 0, sedated: false });
    expect(board.freeze).toEqual({ startedAt: expect.any(String), plannedSeconds: 120 });
    expect(board.label).toBe('J.D. 09:30'); // 08:30Z is 09:30 in Paris in March
  });
});

describe('clock-driven alerts for a board case', () => {
  const minutesAfter = (iso: string, m: number) => new Date(Date.parse(iso) + m * 60_000).toISOString();

  it('appear from the board case alone as time passes with no event, at the unit thresholds', () => {
    const sedatedObserving = [...PATH.inRoom, { type: 'give_sedation', drug: 'midazolam' }, ...PATH.observing.slice(PATH.inRoom.length)] as Step[];
    // Each path's clock alerts and the instants they become due, written out: ready at minute 3 + 45;
    // a 120 s freeze started at minute 8; observation from minute 100 + 15 (30 sedated) + 30 overdue;
    // a patient sedated at minute 5 and never measured since, 5 minutes later.
    const due: [string, Step[], { code: string; since: string }[]][] = [
      ['ready', PATH.ready, [{ code: 'waiting_ready_too_long', since: at(48) }]],
      ['freezing', PATH.freezing, [{ code: 'freeze_overrun', since: at(10) }]],
      ['thawing', PATH.thawing, []],
      ['observing', PATH.observing, [{ code: 'observation_overdue', since: at(145) }]],
      ['sedated observing', sedatedObserving, [{ code: 'observation_overdue', since: at(160) }, { code: 'sedation_monitoring_overdue', since: at(10) }]],
      ['discharged', PATH.discharged, []],
    ];
    for (const [name, path, alerts] of due) {
      const state = fold(play(path));
      // The board case is built when the last event arrives; the wall clock then keeps running.
      const board = toBoardCase(state, state.lastOccurredAt, DEFAULT_SETTINGS);
      for (const m of [0, 1, 2, 3, 44, 45, 46, 59, 60, 61, 76, 200]) {
        const now = minutesAfter(state.lastOccurredAt, m);
        const expected = alerts.filter((alert) => Date.parse(now) > Date.parse(alert.since));
        expect(clockAlerts(board, now, DEFAULT_SETTINGS), `${name} +${m} min`).toEqual(expected);
      }
    }
  });

  it('include observation overdue, which the board used to forget', () => {
    const board = toBoardCase(fold(play(PATH.observing)), at(100), DEFAULT_SETTINGS);
    expect(clockAlerts(board, at(145), DEFAULT_SETTINGS)).toEqual([]);
    expect(clockAlerts(board, at(146), DEFAULT_SETTINGS)).toEqual([{ code: 'observation_overdue', since: at(145) }]);
  });
});
