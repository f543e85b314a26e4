import { describe, expect, it } from 'vitest';
import { decide, freezeBlockers, fold } from '../../shared';
import {
  PATH, at, context, endFreeze, given, nurse, play, positionProbe, radiologist, startFreeze, type Step,
} from './helpers/scenario';

describe('entering the room', () => {
  it('only into a free room', () => {
    const ready = play(PATH.ready);
    given(ready).when({ type: 'enter_room', roomId: 'r1' }).then([{ type: 'RoomEntered' }]);
    given(ready).when({ type: 'enter_room', roomId: 'r2' }).rejects('room_not_free');
    given(ready).when({ type: 'enter_room', roomId: 'r3' }).rejects('room_not_free');
    given(ready).when({ type: 'enter_room', roomId: 'nowhere' }).rejects('room_unknown');
  });

  it('not before the patient is ready', () => {
    given(play(PATH.checklisted)).when({ type: 'enter_room', roomId: 'r1' }).rejects('wrong_stage');
  });
});

describe('local anaesthesia and probe placement', () => {
  it('no probe placement before local anaesthesia', () => {
    given(play(PATH.inRoom)).when(positionProbe as never).rejects('local_anesthesia_required');
    given(play(PATH.anesthetised)).when(positionProbe as never).then([{ type: 'ProbePositioned' }]);
  });

  it('extra local anaesthesia at a new puncture site keeps the stage', () => {
    const s = given(play(PATH.probePlaced)).when({ type: 'give_local_anesthesia', agent: 'lidocaine', concentrationPercent: 1, volumeMl: 2 }).then([{ type: 'LocalAnesthesiaGiven' }]);
    expect(s.stage).toBe('probe_placement');
    expect(s.localAnesthesia).toHaveLength(2);
  });
});

describe('freezing', () => {
  it('no freeze before a probe is positioned on a target under guidance', () => {
    given(play(PATH.inRoom)).when(startFreeze as never).rejects('probe_not_positioned');
    given(play(PATH.anesthetised)).when(startFreeze as never).rejects('probe_not_positioned');
    const s = given(play(PATH.probePlaced)).when(startFreeze as never).then([{ type: 'FreezeStarted', data: { gas: 'n2o', plannedSeconds: 120 } }]);
    expect(s.cycles[0]).toMatchObject({ target: { nerve: 'intercostal', side: 'left' }, guidance: 'ultrasound' });
  });

  it('one freeze at a time', () => {
    given(play(PATH.freezing)).when(startFreeze as never).rejects('freeze_already_running');
    given(play(PATH.thawing)).when(startFreeze as never).rejects('thaw_not_finished');
  });

  it('refuses an implausible lowest temperature as a typo', () => {
    const f = play(PATH.freezing);
    for (const t of [-39, -30, 0, 20, -121, -200]) given(f).when({ ...endFreeze, lowestTempC: t } as never).rejects('temperature_implausible');
    for (const t of [-40, -70, -90, -120]) given(f).when({ ...endFreeze, lowestTempC: t } as never).then([{ type: 'FreezeEnded' }]);
  });

  it('a motor response refuses the freeze until the probe is repositioned', () => {
    const motor = play([...PATH.probePlaced, { type: 'record_stimulation', result: 'motor' }]);
    given(motor).when(startFreeze as never).rejects('motor_response');
    expect(freezeBlockers(fold(motor)).map((b) => b.rule)).toEqual(['motor_response']);
    const moved = play([...PATH.probePlaced, { type: 'record_stimulation', result: 'motor' }, positionProbe]);
    given(moved).when(startFreeze as never).then([{ type: 'FreezeStarted' }]);
    for (const result of ['none', 'sensory'] as const) {
      const s = given(play([...PATH.probePlaced, { type: 'record_stimulation', result }])).when(startFreeze as never).then([{ type: 'FreezeStarted' }]);
      expect(s.cycles[0]?.stimulation).toBe(result);
    }
  });
});

describe('the probe never leaves the patient frozen', () => {
  it.each(['freezing', 'thawing'] as const)('refuses remove_probe and position_probe while %s', (stage) => {
    const events = play(PATH[stage]);
    given(events).when({ type: 'remove_probe' }).rejects('probe_still_frozen', 'rule_violated');
    given(events).when(positionProbe as never).rejects('probe_still_frozen');
    given(events).when({ type: 'transfer', destination: 'Réanimation' }).rejects('probe_still_frozen');
  });

  it('remove_probe needs at least one complete cycle unless aborted', () => {
    given(play(PATH.probePlaced)).when({ type: 'remove_probe' }).rejects('cycle_required');
    given(play(PATH.cycled)).when({ type: 'remove_probe' }).then([{ type: 'ProbeRemoved' }]);
    given(play([...PATH.probePlaced, { type: 'abort', reason: 'patient agité' }])).when({ type: 'remove_probe' }).then([{ type: 'ProbeRemoved' }]);
  });

  it('a transfer needs the probe out first', () => {
    given(play(PATH.probePlaced)).when({ type: 'transfer', destination: 'Urgences' }).rejects('probe_in_place');
  });
});

describe('sedation', () => {
  it('needs an escort on file', () => {
    const s = given(play(PATH.inRoom)).when({ type: 'give_sedation', drug: 'midazolam', dose: '1 mg' }).then([{ type: 'SedationGiven' }]);
    expect(s.sedated).toBe(true);
    // An escort who left (recorded while still ready) makes the patient not ready: back to admitted.
    const noEscort = play([...PATH.ready, { type: 'record_checklist', escort: null }]);
    expect(fold(noEscort).stage).toBe('admitted');
  });

  it('is refused without an escort (defence in depth: mark_ready already demands one)', () => {
    const state = fold(play(PATH.inRoom));
    const withoutEscort = { ...state, checklist: { ...state.checklist, escort: null } };
    const r = decide({ type: 'give_sedation', drug: 'midazolam' }, withoutEscort, context({ now: at(60), actor: nurse }));
    expect(r.ok ? null : r.rejection.rule).toBe('escort_required_for_sedation');
  });

  it('is allowed from in_room to thawing, not before or after', () => {
    const sed = { type: 'give_sedation', drug: 'midazolam' } as const;
    for (const p of ['inRoom', 'anesthetised', 'probePlaced', 'freezing', 'thawing'] as const)
      given(play(PATH[p])).when(sed).then([{ type: 'SedationGiven' }]);
    given(play(PATH.ready)).when(sed).rejects('wrong_stage');
    given(play(PATH.probeRemoved)).when(sed).rejects('wrong_stage');
  });
});

describe('abort', () => {
  it('with no probe in place goes straight to probe_removed', () => {
    for (const p of ['inRoom', 'anesthetised'] as const) {
      const s = given(play(PATH[p])).when({ type: 'abort', reason: 'malaise vagal' }).then([{ type: 'ProcedureAborted' }]);
      expect(s.stage).toBe('probe_removed');
      expect(s.aborted).toBe(true);
    }
  });

  it('while freezing continues through thaw to probe removal, with no new cycle', () => {
    const events = play([...PATH.freezing, { type: 'abort', reason: 'douleur' }]);
    const s = fold(events);
    expect(s.stage).toBe('freezing');
    given(events).when({ type: 'remove_probe' }).rejects('probe_still_frozen');
    const thawed = play([...PATH.freezing, { type: 'abort', reason: 'douleur' }, endFreeze, { type: 'end_thaw' }]);
    given(thawed).when(startFreeze as never).rejects('procedure_aborted');
    given(thawed).when(positionProbe as never).rejects('procedure_aborted');
    given(thawed).when({ type: 'abort', reason: 'encore' }).rejects('already_aborted');
    given(thawed).when({ type: 'remove_probe' }).then([{ type: 'ProbeRemoved' }]);
  });

  it('is not possible before the room or after the probe is out', () => {
    given(play(PATH.ready)).when({ type: 'abort', reason: 'x'.repeat(5) }).rejects('wrong_stage');
    given(play(PATH.probeRemoved)).when({ type: 'abort', reason: 'x'.repeat(5) }).rejects('wrong_stage');
  });
});

describe('exits', () => {
  it('cancel before the room, with a reason from the list', () => {
    for (const p of ['scheduled', 'admitted', 'ready'] as const) {
      const s = given(play(PATH[p])).when({ type: 'cancel', reason: 'not_fasting' }).then([{ type: 'CaseCancelled' }]);
      expect(s.stage).toBe('cancelled');
      expect(s.cancellation?.reason).toBe('not_fasting');
    }
    given(play(PATH.ready)).when({ type: 'cancel', reason: 'other' }).rejects('note_required');
    given(play(PATH.ready)).when({ type: 'cancel', reason: 'other', note: 'Grève des transports' }).then([{ type: 'CaseCancelled' }]);
    given(play(PATH.inRoom)).when({ type: 'cancel', reason: 'no_show' }).rejects('cancel_too_late');
  });

  it('transfer after entering the room, never from a terminal stage', () => {
    for (const p of ['inRoom', 'anesthetised', 'probeRemoved', 'dressed', 'observing'] as const) {
      const s = given(play(PATH[p])).by(radiologist).when({ type: 'transfer', destination: 'Réanimation' }).then([{ type: 'PatientTransferred' }]);
      expect(s.stage).toBe('transferred');
      expect(s.roomId).toBeNull();
    }
    given(play(PATH.ready)).when({ type: 'transfer', destination: 'Réanimation' }).rejects('wrong_stage');
    given(play(PATH.discharged)).when({ type: 'transfer', destination: 'Réanimation' }).rejects('case_closed', 'not_allowed_in_stage');
  });
});

describe('complications and vitals anytime while active', () => {
  it('records them in every active stage', () => {
    const c: Step = { type: 'record_complication', kind: 'hematoma', grade: 1, note: 'petit' };
    for (const p of ['scheduled', 'inRoom', 'freezing', 'observing'] as const) {
      given(play(PATH[p])).when(c as never).then([{ type: 'ComplicationRecorded', data: { kind: 'hematoma', grade: 1 } }]);
      given(play(PATH[p])).when({ type: 'record_vitals', heartRate: 80, systolic: 120, diastolic: 70, spo2: 97 }).then([{ type: 'VitalsRecorded' }]);
    }
    given(play(PATH.inRoom)).when({ type: 'record_complication', kind: 'other', grade: 2 }).rejects('note_required');
    given(play(PATH.discharged)).when(c as never).rejects('case_closed');
    given(play(PATH.discharged)).when({ type: 'record_vitals', heartRate: 80, systolic: 120, diastolic: 70, spo2: 97 }).rejects('case_closed');
  });

  it('follow-up pain scores after discharge', () => {
    const s = given(play(PATH.discharged)).when({ type: 'record_pain_score', score: 2, moment: 'followup_d1' }).then([{ type: 'PainScoreRecorded' }]);
    expect(s.painScores).toEqual([expect.objectContaining({ score: 2, moment: 'followup_d1' })]);
  });
});


describe('a freeze once started is never undone', () => {
  const correct = { type: 'correct_last', reason: 'saisie erronée' } as const;

  it('refuses correcting FreezeStarted, so a frozen probe can neither come out nor freeze twice', () => {
    // Before the rule, undoing the second freeze put the probe back to "positioned": remove_probe was accepted.
    const second = play([...PATH.cycled, startFreeze]);
    given(second).by(radiologist).when(correct).rejects('freeze_cannot_be_undone');
    given(play(PATH.freezing)).by(radiologist).when(correct).rejects('freeze_cannot_be_undone');
  });

  it('the other undo paths leave the probe at least as frozen as it was', () => {
    const correctByRadiologist = { ...correct, by: radiologist };
    const unthawed = play([...PATH.cycled, correctByRadiologist]);
    expect(fold(unthawed).stage).toBe('thawing');
    given(unthawed).when({ type: 'remove_probe' }).rejects('probe_still_frozen');
    given(unthawed).when(startFreeze as never).rejects('thaw_not_finished');
    const unended = play([...PATH.thawing, correctByRadiologist]);
    expect(fold(unended).stage).toBe('freezing');
    given(unended).when({ type: 'remove_probe' }).rejects('probe_still_frozen');
    given(unended).when(startFreeze as never).rejects('freeze_already_running');
    // Undoing a removal or a repositioning after a complete cycle finds a thawed probe.
    for (const last of [{ type: 'remove_probe' }, positionProbe] as Step[]) {
      const s = fold(play([...PATH.cycled, last, correctByRadiologist]));
      expect(s.probe.status).toBe('idle');
      expect(s.cycles.every((c) => c.thawEndedAt !== null)).toBe(true);
    }
  });
});

describe('a motor response stands until the probe moves', () => {
  const motor = () => play([...PATH.probePlaced, { type: 'record_stimulation', result: 'motor' }]);

  it('refuses another result at the same position', () => {
    // Before the rule, "none" overwrote "motor" and the freeze went ahead on the motor nerve.
    for (const result of ['none', 'sensory', 'motor'] as const)
      given(motor()).when({ type: 'record_stimulation', result }).rejects('motor_response');
  });

  it('refuses correcting it away; repositioning clears it', () => {
    given(motor()).by(radiologist).when({ type: 'correct_last', reason: 'mauvais bouton' }).rejects('motor_response');
    const moved = given(motor()).when(positionProbe as never).then([{ type: 'ProbePositioned' }]);
    expect(moved.probe.stimulation).toBeNull();
  });

  it('other results stay correctable and may be followed by a new test', () => {
    const sensory = play([...PATH.probePlaced, { type: 'record_stimulation', result: 'sensory' }]);
    given(sensory).by(radiologist).when({ type: 'correct_last', reason: 'mauvais bouton' }).then([{ type: 'LastCorrected' }]);
    given(sensory).when({ type: 'record_stimulation', result: 'motor' }).then([{ type: 'StimulationRecorded' }]);
  });
});
