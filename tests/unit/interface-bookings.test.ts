import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTORS, fold, otherPatient, ruleText, updateDemographics } from '../../shared';
import { PATH, at, context, fullChecklist, given, nurse, play, scheduleBody } from './helpers/scenario';

const hl7 = SYSTEM_ACTORS.hl7;
const withoutTargets = scheduleBody({ plannedTargets: [], appointment: { placer: 'PL-4471', filler: 'RDV-20250310-07' } });

describe('a case booked by the hospital without its targets', () => {
  it('is refused mark_ready (targets_missing) until its targets are set, then allowed with the same command', () => {
    const booked = play([...PATH.checklisted], { body: withoutTargets });
    given(booked).when({ type: 'mark_ready' }).rejects('targets_missing', 'rule_violated');
    const setTargets = given(booked).when({ type: 'reschedule_case', scheduledAt: withoutTargets.scheduledAt, plannedTargets: [{ nerve: 'genicular', side: 'right' }] });
    expect(setTargets.then([{ type: 'CaseRescheduled' }]).plannedTargets).toEqual([{ nerve: 'genicular', side: 'right' }]);
    if (!setTargets.decision.ok) return;
    given([...booked, ...setTargets.decision.events]).when({ type: 'mark_ready' }).then([{ type: 'PatientMarkedReady' }]);
  });

  it('keeps the booking numbers on the case', () => {
    expect(fold(play([], { body: withoutTargets })).appointment).toEqual({ placer: 'PL-4471', filler: 'RDV-20250310-07' });
  });

  it('names the checklist gaps before the missing targets', () => {
    given(play(PATH.admitted, { body: withoutTargets })).when({ type: 'mark_ready' }).rejects('identity_not_verified');
  });
});

describe('a demographics update from the hospital record', () => {
  const renamed = { firstName: 'Jeanne', lastName: 'Dupont-Lefèvre', birthDate: '1961-04-12', sex: 'female' as const };

  it('refuses a record naming another patient (birth date and name both differ), then follows a correction', () => {
    const state = fold(play(PATH.admitted));
    const other = updateDemographics(state, { firstName: 'Marc', lastName: 'Durand', birthDate: '1978-09-30' }, context({ actor: hl7 }));
    expect(other).toMatchObject({ ok: false, rejection: { rule: 'mrn_other_patient' } });
    expect(ruleText('fr', 'mrn_other_patient', {}).length).toBeGreaterThan(0);
    const followed = updateDemographics(state, renamed, context({ actor: hl7 }));
    expect(followed.ok).toBe(true);
    if (!followed.ok) return;
    expect(followed.events).toMatchObject([
      { type: 'PatientDemographicsUpdated', actor: hl7, data: { patient: renamed, previous: { lastName: 'Dupont', birthDate: '1961-04-12' } } },
    ]);
    expect(fold([...play(PATH.admitted), ...followed.events]).patient).toMatchObject({ lastName: 'Dupont-Lefèvre', mrn: 'MRN-778899' });
  });

  it('follows a birth date corrected alone, and makes no event when nothing changed', () => {
    const state = fold(play(PATH.scheduled));
    expect(otherPatient(state.patient, { ...state.patient, birthDate: '1961-04-21' })).toBe(false);
    expect(updateDemographics(state, { ...state.patient, birthDate: '1961-04-21' }, context({ actor: hl7 })).ok).toBe(true);
    expect(updateDemographics(state, { firstName: 'Jeanne', lastName: 'Dupont', birthDate: '1961-04-12' }, context({ actor: hl7 }))).toEqual({ ok: true, events: [] });
  });

  it('is refused on a finished case, and to a nurse, then allowed on an open one', () => {
    const discharged = fold(play(PATH.discharged));
    expect(updateDemographics(discharged, renamed, context({ actor: hl7, now: at(200) }))).toMatchObject({ ok: false, rejection: { rule: 'case_closed' } });
    const open = fold(play(PATH.ready));
    expect(updateDemographics(open, renamed, context({ actor: nurse }))).toMatchObject({ ok: false, rejection: { rule: 'role_not_allowed', code: 'forbidden' } });
    expect(updateDemographics(open, renamed, context({ actor: hl7 })).ok).toBe(true);
  });

  it('leaves the last step correctable, under the new name, and the back-dating bound where it was', () => {
    const events = play([...PATH.admitted, fullChecklist]);
    const before = fold(events);
    const update = updateDemographics(before, renamed, context({ actor: hl7, now: at(30) }));
    if (!update.ok) throw new Error('refused');
    const after = fold([...events, ...update.events]);
    expect(after.lastOccurredAt).toBe(before.lastOccurredAt);
    expect(after.undo?.eventType).toBe('ChecklistRecorded');
    const corrected = given([...events, ...update.events]).by(nurse).when({ type: 'correct_last', reason: 'mauvais dossier' }).then([{ type: 'LastCorrected' }]);
    expect(corrected.patient.lastName).toBe('Dupont-Lefèvre');
    expect(corrected.checklist.identityVerified).toBe(false);
  });
});
