import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, ROLE_PERMISSIONS, canSend, createCase, fold, roomChange, ruleText } from '../../shared';
import {
  CASE_ID, PATH, T0, admin, at, context, coordinator, endFreeze, freeRooms, given, nurse, play, radiologist, scheduleBody,
} from './helpers/scenario';

describe('roles', () => {
  it('coordinators plan and cancel, never a clinical command; admins send none', () => {
    expect(ROLE_PERMISSIONS.coordinator).toEqual(['schedule_case', 'reschedule_case', 'plan_targets', 'cancel']);
    expect(COMMAND_TYPES.filter((c) => canSend('admin', c))).toEqual([]);
    given(play(PATH.scheduled)).by(coordinator).when({ type: 'admit' }).rejects('role_not_allowed', 'forbidden');
    given(play(PATH.scheduled)).by(admin).when({ type: 'admit' }).rejects('role_not_allowed', 'forbidden');
    given(play(PATH.scheduled)).by(coordinator).when({ type: 'cancel', reason: 'no_show' }).then([{ type: 'CaseCancelled' }]);
  });

  it('clinical acts belong to the right profession', () => {
    given(play(PATH.probePlaced)).by(nurse).when({ type: 'start_freeze', gas: 'n2o', plannedSeconds: 60 }).rejects('role_not_allowed', 'forbidden');
    given(play(PATH.checklisted)).by(radiologist).when({ type: 'mark_ready' }).rejects('role_not_allowed');
    given(play(PATH.inRoom)).by(radiologist).when({ type: 'transfer', destination: 'USC' }).then([{ type: 'PatientTransferred' }]);
    given(play(PATH.inRoom)).by(nurse).when({ type: 'transfer', destination: 'USC' }).rejects('role_not_allowed');
  });

  it('only a coordinator creates a case', () => {
    expect(createCase(CASE_ID, scheduleBody(), context({ actor: coordinator })).ok).toBe(true);
    for (const actor of [nurse, radiologist, admin]) {
      const d = createCase(CASE_ID, scheduleBody(), context({ actor }));
      expect(d.ok ? null : d.rejection).toMatchObject({ code: 'forbidden', rule: 'role_not_allowed' });
    }
    const unknownRoom = createCase(CASE_ID, scheduleBody({ plannedRoomId: 'r9' }), context({ actor: coordinator }));
    expect(unknownRoom.ok ? null : unknownRoom.rejection.rule).toBe('room_unknown');
    const future = createCase(CASE_ID, scheduleBody({ patient: { ...scheduleBody().patient, birthDate: '2099-01-01' } }), context({ actor: coordinator }));
    expect(future.ok ? null : future.rejection.rule).toBe('birth_date_in_future');
  });

  it('files a case under a known MRN only for the same patient', () => {
    const known = { firstName: 'Jeanne', lastName: 'Dupont', birthDate: '1961-04-12' };
    const create = (patient: Partial<typeof known>) =>
      createCase(CASE_ID, scheduleBody({ patient: { ...scheduleBody().patient, ...patient } }), { ...context({ actor: coordinator }), knownPatient: known });
    // Given the MRN on file for Jeanne Dupont, when the same person is typed again (case, spaces
    // aside), then the case is filed.
    expect(create({ firstName: ' jeanne ', lastName: 'DUPONT' }).ok).toBe(true);
    // When another name or birth date is typed, then it is refused by a named rule a coordinator can read.
    for (const other of [{ firstName: 'Jean' }, { lastName: 'Durand' }, { birthDate: '1961-04-13' }]) {
      const d = create(other);
      expect(d.ok ? null : d.rejection).toMatchObject({ code: 'rule_violated', rule: 'mrn_other_patient' });
      expect(d.ok ? '' : ruleText('fr', d.rejection.rule, d.rejection.params)).toContain('IPP');
    }
    // A new MRN has nobody to match.
    expect(createCase(CASE_ID, scheduleBody({ patient: { ...scheduleBody().patient, firstName: 'Jean' } }), context({ actor: coordinator })).ok).toBe(true);
  });

  it('rescheduling keeps the history and is refused once in the room', () => {
    const s = given(play(PATH.admitted)).by(coordinator).when({ type: 'reschedule_case', scheduledAt: at(90), plannedRoomId: 'r3', reason: 'equipment' })
      .then([{ type: 'CaseRescheduled' }]);
    expect(s).toMatchObject({ scheduledAt: at(90), plannedRoomId: 'r3' });
    expect(s.reschedules[0]).toMatchObject({ from: at(30), to: at(90), reason: 'equipment' });
    given(play(PATH.admitted)).by(coordinator).when({ type: 'reschedule_case', scheduledAt: at(90), plannedRoomId: 'nope' }).rejects('room_unknown');
    given(play(PATH.inRoom)).by(coordinator).when({ type: 'reschedule_case', scheduledAt: at(90) }).rejects('wrong_stage');
  });
});

describe('occurredAt', () => {
  it('defaults to the server clock', () => {
    const d = given(play(PATH.scheduled)).at(at(5)).when({ type: 'admit' }).decision;
    expect(d.ok && d.events[0]?.occurredAt).toBe(at(5));
  });

  it('may not be in the future beyond the clock skew', () => {
    const events = play(PATH.scheduled);
    const now = at(5);
    given(events).at(now).when({ type: 'admit', occurredAt: new Date(Date.parse(now) + 59_000).toISOString() }).then([{ type: 'PatientAdmitted' }]);
    given(events).at(now).when({ type: 'admit', occurredAt: new Date(Date.parse(now) + 61_000).toISOString() }).rejects('occurred_at_in_future');
  });

  it('may not be before the previous event', () => {
    const events = play(PATH.admitted);
    const last = events[events.length - 1]!.occurredAt;
    given(events).when({ type: 'record_checklist', consentSigned: true, occurredAt: last }).then([{ type: 'ChecklistRecorded' }]);
    given(events).when({ type: 'record_checklist', consentSigned: true, occurredAt: T0 }).rejects('occurred_at_before_previous');
    given(events).when({ type: 'record_checklist', consentSigned: true, occurredAt: 'not a date' }).rejects('occurred_at_invalid');
  });
});

describe('correct_last', () => {
  it('reverts the last event with a reason, as a new event', () => {
    const events = play([...PATH.freezing, endFreeze]);
    const before = fold(events.slice(0, -1));
    const after = given(events).by(radiologist).when({ type: 'correct_last', reason: 'Mauvaise température saisie' })
      .then([{ type: 'LastCorrected', data: { correctedType: 'FreezeEnded', reason: 'Mauvaise température saisie' } }]);
    const { version, corrections, undo, ...rest } = after;
    const { version: _v, corrections: _c, undo: _u, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
    expect(version).toBe(events.length + 1);
    expect(corrections).toHaveLength(1);
    expect(undo).toBeNull();
    expect(after.stage).toBe('freezing');
  });

  it('cannot correct the scheduling, nor twice in a row', () => {
    given(play(PATH.scheduled)).when({ type: 'correct_last', reason: 'oups' }).rejects('nothing_to_correct');
    const corrected = play([...PATH.admitted, { type: 'correct_last', reason: 'pas encore arrivé' }]);
    expect(fold(corrected).stage).toBe('scheduled');
    given(corrected).when({ type: 'correct_last', reason: 'encore' }).rejects('nothing_to_correct');
  });

  it("cannot undo another profession's step", () => {
    given(play(PATH.freezing)).by(nurse).when({ type: 'correct_last', reason: 'erreur' }).rejects('cannot_correct_others_step');
    given(play(PATH.admitted)).by(radiologist).when({ type: 'correct_last', reason: 'erreur' }).rejects('cannot_correct_others_step');
  });

  it('never reopens a closed case: a terminal stage takes only follow-up pain scores', () => {
    const closed = {
      discharged: play(PATH.discharged),
      cancelled: play([...PATH.ready, { type: 'cancel', reason: 'no_show' }]),
      transferred: play([...PATH.inRoom, { type: 'transfer', destination: 'Réanimation' }]),
    };
    for (const [stage, events] of Object.entries(closed)) {
      expect(fold(events).stage).toBe(stage);
      for (const by of [nurse, radiologist])
        given(events).by(by).when({ type: 'correct_last', reason: 'sortie saisie trop tôt' }).rejects('case_closed', 'not_allowed_in_stage');
      given(events).when({ type: 'record_pain_score', score: 2, moment: 'followup_d1' }).then([{ type: 'PainScoreRecorded' }]);
    }
    for (const cmd of [{ type: 'admit' }, { type: 'start_observation' }, { type: 'record_padss', vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 2, bleeding: 2 }] as const)
      given(closed.discharged).when(cmd).rejects('case_closed', 'not_allowed_in_stage');
  });

  it('back-dating after a correction may go before the correction itself', () => {
    const events = play([...PATH.signedOut, { type: 'start_observation', occurredAt: at(100) }, { type: 'correct_last', reason: 'heure fausse', occurredAt: at(120) }]);
    given(events).at(at(121)).when({ type: 'start_observation', occurredAt: at(105) }).then([{ type: 'ObservationStarted' }]);
  });

  it('undoing the departure refuses a room someone else took', () => {
    const events = play(PATH.observing);
    const taken = freeRooms().map((r) => (r.id === 'r1' ? { ...r, status: 'occupied' as const, caseId: 'case-2' } : r));
    given(events).withRooms(taken).when({ type: 'correct_last', reason: 'pas encore sorti' }).rejects('room_not_free');
    const cleaning = freeRooms().map((r) => (r.id === 'r1' ? { ...r, status: 'cleaning' as const } : r));
    const s = given(events).withRooms(cleaning).when({ type: 'correct_last', reason: 'pas encore sorti' }).then([{ type: 'LastCorrected' }]);
    expect(roomChange(fold(events), s)).toEqual({ roomId: 'r1', status: 'occupied', caseId: CASE_ID });
  });
});
