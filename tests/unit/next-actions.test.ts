import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, blockers, fold, nextActions, nextStep, type Role } from '../../shared';
import { PATH, at, play, scheduleBody, type Step } from './helpers/scenario';

const primary = (path: Step[], role: Role) => nextActions(fold(play(path)), role).primary;
const ONE_CYCLE = { ...DEFAULT_SETTINGS, cyclesPerTarget: 1 };
const secondCycle: Step[] = [
  ...PATH.cycled,
  { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 },
  { type: 'end_freeze', lowestTempC: -80, iceBallMm: 9, thawMode: 'passive' },
  { type: 'end_thaw' },
] as Step[];

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
    // The unit's usual two cycles per target (CYCLES_PER_TARGET): a second freeze first, then the probe out.
    expect(primary(PATH.cycled, 'radiologist')).toBe('start_freeze');
    expect(primary(secondCycle, 'radiologist')).toBe('remove_probe');
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
    expect(nextStep(fold(two), ONE_CYCLE)).toBe('position_probe');
  });

  it('given the usual cycles per target, when one cycle is done, then another freeze is proposed, not hidden; when they are done, the next target', () => {
    const two = (path: Step[]) =>
      fold(play(path, { body: scheduleBody({ plannedTargets: [{ nerve: 'intercostal', level: 'T5', side: 'left' }, { nerve: 'intercostal', level: 'T6', side: 'left' }] }) }));
    expect(nextStep(two(PATH.cycled))).toBe('start_freeze');
    expect(nextActions(two(PATH.cycled), 'radiologist').others).not.toContain('start_freeze');
    expect(nextStep(two(secondCycle))).toBe('position_probe');
    expect(nextStep(two(PATH.cycled), { ...DEFAULT_SETTINGS, cyclesPerTarget: 3 })).toBe('start_freeze');
    expect(nextStep(two(secondCycle), { ...DEFAULT_SETTINGS, cyclesPerTarget: 3 })).toBe('start_freeze');
  });

  it('given vitals too old for discharge, when the tablet asks, then the vitals are the step; given fresh ones, then discharge', () => {
    const s = fold(play(PATH.dischargeable));
    const stale = nextActions(s, 'nurse', { settings: DEFAULT_SETTINGS, now: at(140) });
    expect(stale.primary).toBe('record_vitals');
    expect(stale.others).toContain('discharge');
    expect(blockers(s, { now: at(140), settings: DEFAULT_SETTINGS }).map((b) => b.rule)).toContain('vitals_stale');
    const fresh = nextActions(s, 'nurse', { settings: DEFAULT_SETTINGS, now: at(115) });
    expect(fresh.primary).toBe('discharge');
    expect(fresh.others).toContain('record_vitals');
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
