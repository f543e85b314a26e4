import { describe, expect, it } from 'vitest';
import { fold } from '../../shared';
import { PATH, at, discharge, given, localAnesthesia, play, radiologist, scheduleBody, signOut, timeOut } from './helpers/scenario';

describe('the normal procedure day', () => {
  it('walks a case from scheduled to discharged', () => {
    const events = play(PATH.discharged);
    const state = fold(events);
    expect(state.stage).toBe('discharged');
    expect(state.version).toBe(events.length);
    expect(state.stageHistory.map((h) => h.stage)).toEqual([
      'scheduled', 'admitted', 'ready', 'in_room', 'local_anesthesia', 'probe_placement', 'freezing', 'thawing',
      'probe_placement', 'probe_removed', 'dressing', 'observation', 'discharged',
    ]);
    expect(state.timeOut).toMatchObject({ by: { role: 'nurse' }, siteMarked: true });
    expect(state.signOut).toMatchObject({ instructionsHandedOver: true });
    expect(state.cycles).toHaveLength(1);
    expect(state.cycles[0]).toMatchObject({ gas: 'n2o', lowestTempC: -80, thawMode: 'passive', operator: radiologist });
    expect(state.discharge?.at).toBe(at(116));
  });

  it('each step emits its past-tense event', () => {
    given(play(PATH.scheduled)).when({ type: 'admit' }).then([{ type: 'PatientAdmitted' }]);
    given(play(PATH.checklisted)).when({ type: 'mark_ready' }).then([{ type: 'PatientMarkedReady' }]);
    given(play(PATH.ready)).when({ type: 'enter_room', roomId: 'r1' }).then([{ type: 'RoomEntered', data: { roomId: 'r1' } }]);
    given(play(PATH.inRoom)).when(timeOut as never).then([{ type: 'TimeOutConfirmed' }]);
    given(play(PATH.timedOut)).when(localAnesthesia as never).then([{ type: 'LocalAnesthesiaGiven', data: { agent: 'lidocaine', volumeMl: 5 } }]);
    given(play(PATH.cycled)).when({ type: 'remove_probe' }).then([{ type: 'ProbeRemoved' }]);
    given(play(PATH.probeRemoved)).when({ type: 'apply_dressing' }).then([{ type: 'DressingApplied' }]);
    given(play(PATH.dressed)).when(signOut as never).then([{ type: 'SignOutConfirmed' }]);
    const obs = given(play(PATH.signedOut)).when({ type: 'start_observation' }).then([{ type: 'ObservationStarted' }]);
    expect(obs.roomId).toBeNull();
    expect(obs.procedureRoomId).toBe('r1');
    given(play(PATH.dischargeable)).at(at(116)).when(discharge).then([{ type: 'PatientDischarged' }]);
  });

  it('repeats cycles at the same position and moves to the next target after a thaw', () => {
    const s = given(play(PATH.cycled)).when({ type: 'start_freeze', gas: 'co2', plannedSeconds: 90 }).then([{ type: 'FreezeStarted' }]);
    expect(s.cycles).toHaveLength(2);
    const twoTargets = scheduleBody({ plannedTargets: [{ nerve: 'intercostal', level: 'T5', side: 'left' }, { nerve: 'intercostal', level: 'T6', side: 'left' }] });
    const timeOutOfBoth = { ...timeOut, targets: twoTargets.plannedTargets };
    const cycled = PATH.cycled.map((step) => (step.type === 'confirm_time_out' ? timeOutOfBoth : step));
    const moved = given(play(cycled, { body: twoTargets }))
      .when({ type: 'position_probe', target: { nerve: 'intercostal', level: 'T6', side: 'left' }, guidance: 'ct', probe: { type: 'cryoprobe', gauge: 13 } })
      .then([{ type: 'ProbePositioned' }]);
    expect(moved.probe).toMatchObject({ status: 'positioned', guidance: 'ct', stimulation: null });
    expect(moved.stage).toBe('probe_placement');
  });

  it('records a back-dated step at the time it happened, and the server time apart', () => {
    const events = play(PATH.admitted);
    const d = given(events).at(at(30)).when({ type: 'record_checklist', identityVerified: true, occurredAt: at(20) }).decision;
    expect(d.ok && d.events[0]).toMatchObject({ occurredAt: at(20), recordedAt: at(30) });
  });

  it('keeps the whole cycle record', () => {
    const s = fold(play(PATH.cycled));
    const c = s.cycles[0]!;
    expect(c.target).toEqual({ nerve: 'intercostal', level: 'T5', side: 'left' });
    expect(c.guidance).toBe('ultrasound');
    expect(c.probe).toEqual({ type: 'cryoprobe', gauge: 13 });
    expect(c.freezeEndedAt).not.toBeNull();
    expect(c.thawEndedAt).not.toBeNull();
    expect(c.iceBallMm).toBe(12);
    expect(s.probe.status).toBe('idle');
  });
});
