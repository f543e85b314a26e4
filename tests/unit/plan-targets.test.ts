import { describe, expect, it } from 'vitest';
import { nextActions, t } from '../../shared';
import { PATH, coordinator, given, nurse, play, radiologist, scheduleBody } from './helpers/scenario';

const withoutTargets = scheduleBody({ plannedTargets: [] });
const genicular = [{ nerve: 'genicular', side: 'right' as const }];

describe('plan_targets: the booking\'s targets, by the coordinator or the radiologist', () => {
  it('given a booking without targets, the nurse is refused ready; the radiologist sets them; then ready is allowed', () => {
    const booked = play([...PATH.checklisted], { body: withoutTargets });
    given(booked).when({ type: 'mark_ready' }).rejects('targets_missing', 'rule_violated');
    const planned = given(booked).by(radiologist).when({ type: 'plan_targets', plannedTargets: genicular });
    const state = planned.then([{ type: 'TargetsPlanned', data: { plannedTargets: genicular, previousTargets: [] } }]);
    expect(state.plannedTargets).toEqual(genicular);
    if (!planned.decision.ok) return;
    given([...booked, ...planned.decision.events]).by(nurse).when({ type: 'mark_ready' }).then([{ type: 'PatientMarkedReady' }]);
  });

  it('given a nurse, the same payload is refused; given the coordinator, allowed', () => {
    const booked = play([...PATH.admitted], { body: withoutTargets });
    given(booked).by(nurse).when({ type: 'plan_targets', plannedTargets: genicular }).rejects('role_not_allowed', 'forbidden');
    given(booked).by(coordinator).when({ type: 'plan_targets', plannedTargets: genicular }).then([{ type: 'TargetsPlanned' }]);
  });

  it('given the patient in the room, the radiologist is refused; ready but not yet in, allowed', () => {
    const other = [{ nerve: 'genicular', side: 'left' as const }];
    given(play(PATH.inRoom)).by(radiologist).when({ type: 'plan_targets', plannedTargets: other }).rejects('wrong_stage', 'not_allowed_in_stage');
    const s = given(play(PATH.ready)).by(radiologist).when({ type: 'plan_targets', plannedTargets: other })
      .then([{ type: 'TargetsPlanned', data: { previousTargets: scheduleBody().plannedTargets } }]);
    expect(s).toMatchObject({ stage: 'ready', plannedTargets: other });
  });

  it('moves neither the time nor the room, and keeps no reschedule in the history', () => {
    const before = given(play(PATH.admitted)).state;
    const s = given(play(PATH.admitted)).by(radiologist).when({ type: 'plan_targets', plannedTargets: genicular }).then([{ type: 'TargetsPlanned' }]);
    expect(s).toMatchObject({ scheduledAt: before.scheduledAt, plannedRoomId: before.plannedRoomId, reschedules: [] });
  });

  it('is what the case proposes to the radiologist and the coordinator while its targets are missing, and to nobody once set', () => {
    const booked = given(play([...PATH.admitted], { body: withoutTargets })).state;
    expect(nextActions(booked, 'radiologist').primary).toBe('plan_targets');
    expect(nextActions(booked, 'coordinator').primary).toBe('plan_targets');
    expect(nextActions(booked, 'nurse').primary).toBe('mark_ready');
    const planned = given(play(PATH.admitted)).state;
    expect(nextActions(planned, 'radiologist').primary).toBeNull();
    expect(nextActions(planned, 'radiologist').others).toContain('plan_targets');
    expect(nextActions(planned, 'nurse').others).not.toContain('plan_targets');
  });

  it('has its button and its timeline words in both languages', () => {
    expect(t('fr', 'command.plan_targets')).toBe('Cibles prévues');
    expect(t('en', 'event.TargetsPlanned')).toBe('Planned targets changed');
    expect(t('fr', 'timeline.targetsChanged', { before: 'A', after: 'B' })).toBe('Avant : A ; désormais : B');
  });
});
