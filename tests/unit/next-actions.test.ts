import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, blockers, fold, nextActions, nextStep, type Role } from '../../shared';
import { PATH, at, play, scheduleBody, type Step } from './helpers/scenario';

const primary = (path: Step[], role: Role) => nextActions(fold(play(path)), role).primary;

describe('next actions for a tablet', () => {
  it('offers the one obvious step to the role that takes it', () => {
    expect(primary(PATH.scheduled, 'nurse')).toBe('admit');
    expect(primary(PATH.admitted, 'nurse')).toBe('mark_ready');
    expect(primary(PATH.ready, 'nurse')).toBe('enter_room');
    expect(primary(PATH.inRoom, 'radiologist')).toBe('confirm_time_out');
    expect(primary(PATH.inRoom, 'nurse')).toBe('confirm_time_out');
    expect(primary(PATH.timedOut, 'radiologist')).toBe('give_local_anesthesia');
    expect(primary(PATH.timedOut, 'nurse')).toBeNull();
    expect(primary(PATH.anesthetised, 'radiologist')).toBe('position_probe');
    expect(primary(PATH.probePlaced, 'radiologist')).toBe('start_freeze');
    expect(primary(PATH.freezing, 'radiologist')).toBe('end_freeze');
    expect(primary(PATH.thawing, 'radiologist')).toBe('end_thaw');
    expect(primary(PATH.cycled, 'radiologist')).toBe('remove_probe');
    expect(primary(PATH.probeRemoved, 'nurse')).toBe('apply_dressing');
    expect(primary(PATH.dressed, 'nurse')).toBe('confirm_sign_out');
    expect(primary(PATH.signedOut, 'nurse')).toBe('start_observation');
    expect(primary(PATH.observing, 'nurse')).toBe('record_vitals');
    expect(primary(PATH.dischargeable, 'nurse')).toBe('discharge');
    expect(primary(PATH.discharged, 'nurse')).toBeNull();
  });

  it('suggests the next planned target before removing the probe', () => {
    const two = play(PATH.cycled, {
      body: scheduleBody({
        plannedTargets: [{ nerve: 'intercostal', level: 'T5', side: 'left' }, { nerve: 'intercostal', level: 'T6', side: 'left' }],
      }),
    });
    expect(nextStep(fold(two))).toBe('position_probe');
  });

  it('after a motor response, reposition', () => {
    expect(primary([...PATH.probePlaced, { type: 'record_stimulation', result: 'motor' }], 'radiologist')).toBe('position_probe');
  });

  it('lists only commands the role may send in the stage', () => {
    const { others } = nextActions(fold(play(PATH.thawing)), 'radiologist');
    expect(others).toEqual(expect.arrayContaining(['give_sedation', 'abort', 'record_vitals', 'correct_last']));
    expect(others).not.toContain('remove_probe');
    expect(nextActions(fold(play(PATH.freezing)), 'coordinator')).toEqual({ primary: null, others: [] });
    expect(nextActions(fold(play(PATH.scheduled)), 'nurse').others).not.toContain('correct_last');
  });

  it('offers correct_last only when decide() would accept it', () => {
    const offered = (path: Step[], role: Role) => nextActions(fold(play(path)), role).others.includes('correct_last');
    expect(offered(PATH.thawing, 'radiologist')).toBe(true);
    expect(offered(PATH.thawing, 'nurse')).toBe(false); // cannot_correct_others_step
    expect(offered(PATH.freezing, 'radiologist')).toBe(false); // freeze_cannot_be_undone
    expect(offered([...PATH.admitted, { type: 'correct_last', reason: 'pas encore arrivé' }], 'nurse')).toBe(false); // nothing_to_correct
    const motor: Step[] = [...PATH.probePlaced, { type: 'record_stimulation', result: 'motor' }];
    expect(offered(motor, 'radiologist')).toBe(false); // motor_response
    expect(nextActions(fold(play(motor)), 'radiologist').others).not.toContain('record_stimulation');
    expect(offered(PATH.discharged, 'nurse')).toBe(false); // case_closed
  });

  it('does not offer to undo a departure into a room someone else took', () => {
    const state = fold(play(PATH.observing));
    const taken = [{ id: 'r1', name: 'Salle 1', status: 'occupied' as const, caseId: 'case-2' }];
    expect(nextActions(state, 'nurse').others).toContain('correct_last');
    expect(nextActions(state, 'nurse', { rooms: taken }).others).not.toContain('correct_last');
  });

  it('blockers tell what stops the main step', () => {
    expect(blockers(fold(play(PATH.admitted))).length).toBeGreaterThan(0);
    expect(blockers(fold(play(PATH.checklisted)))).toEqual([]);
    expect(blockers(fold(play(PATH.probePlaced))).map((b) => b.rule)).toEqual([]);
    expect(blockers(fold(play([...PATH.probePlaced, { type: 'record_stimulation', result: 'motor' }]))).map((b) => b.rule)).toEqual(['motor_response']);
    const obs = fold(play(PATH.observing));
    expect(blockers(obs, { now: at(101), settings: DEFAULT_SETTINGS }).map((b) => b.rule)).toContain('observation_too_short');
    expect(blockers(fold(play(PATH.dischargeable)), { now: at(116), settings: DEFAULT_SETTINGS })).toEqual([]);
  });
});
