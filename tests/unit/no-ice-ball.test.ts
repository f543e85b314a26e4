import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, blockers, completeCycles, fold, nextStep, targetProgress, toBoardCase, untreatedTargets } from '../../shared';
import { PATH, at, endFreeze, given, play, positionProbe, radiologist, startFreeze, type Step } from './helpers/scenario';

// A radiologist who mis-taps "start freeze", or whose gas fails, ends the freeze as it was: no ice
// ball. The probe still thaws before it moves; the attempt stays on record and counts for nothing.
describe('a freeze that made no ice ball', () => {
  const noIceBall = { type: 'end_freeze', noIceBall: true, thawMode: 'passive' } as Step;
  const endThaw = { type: 'end_thaw' } as Step;
  const treated = (events: ReturnType<typeof play>) => completeCycles(fold(events)).map((c) => c.target);

  it('is ended as such: no temperature to invent, and a temperature is still required otherwise', () => {
    const freezing = play(PATH.freezing);
    // Given a running freeze, when it ends with no ice ball, then the probe thaws with nothing measured.
    const s = given(freezing).when(noIceBall as never).then([{ type: 'FreezeEnded', data: { noIceBall: true } }]);
    expect(s.stage).toBe('thawing');
    expect(s.cycles[0]).toMatchObject({ noIceBall: true, lowestTempC: null, iceBallMm: null, thawMode: 'passive' });
    // When it ends with neither a temperature nor "no ice ball", then it is refused by name.
    given(freezing).when({ type: 'end_freeze', thawMode: 'passive' } as never).rejects('temperature_required', 'rule_violated');
    given(freezing).when({ type: 'end_freeze', noIceBall: false, thawMode: 'passive' } as never).rejects('temperature_required');
    // When it claims both, then too: there was no ice to measure.
    given(freezing).when({ ...noIceBall, lowestTempC: -80 } as never).rejects('no_ice_ball_with_measure');
    given(freezing).when({ ...noIceBall, iceBallMm: 8 } as never).rejects('no_ice_ball_with_measure');
    // The plausibility rule is unchanged for a real ending.
    given(freezing).when({ ...endFreeze, lowestTempC: -20 } as never).rejects('temperature_implausible');
  });

  it('still thaws before the probe may move or leave', () => {
    const thawing = play([...PATH.freezing, noIceBall]);
    given(thawing).when({ type: 'remove_probe' }).rejects('probe_still_frozen');
    given(thawing).when(positionProbe as never).rejects('probe_still_frozen');
    given(thawing).when(startFreeze as never).rejects('thaw_not_finished');
    given(thawing).when(endThaw as never).then([{ type: 'ThawEnded' }]);
  });

  it('counts as no cycle: the target stays untreated, the board shows none and the probe may not come out', () => {
    const events = play([...PATH.freezing, noIceBall, endThaw]);
    const s = fold(events);
    expect(s.cycles).toHaveLength(1);
    expect(completeCycles(s)).toEqual([]);
    expect(targetProgress(s.plannedTargets[0]!, treated(events))).toBe('untreated');
    expect(untreatedTargets(s.plannedTargets, treated(events))).toEqual(s.plannedTargets);
    expect(toBoardCase(s, at(60), DEFAULT_SETTINGS).cycleCount).toBe(0);
    given(events).when({ type: 'remove_probe' }).rejects('cycle_required');
    // The probe has not moved: the next step is to freeze again where it sits.
    expect(nextStep(s)).toBe('start_freeze');
    expect(blockers(s).map((b) => b.rule)).toEqual([]);
  });

  it('leaves the next freeze at the same position to count as the first complete cycle', () => {
    const events = play([...PATH.freezing, noIceBall, endThaw, startFreeze, endFreeze, endThaw]);
    const s = fold(events);
    expect(s.cycles.map((c) => c.index)).toEqual([1, 2]);
    expect(completeCycles(s).map((c) => c.index)).toEqual([2]);
    expect(targetProgress(s.plannedTargets[0]!, treated(events))).toBe('treated');
    expect(toBoardCase(s, at(60), DEFAULT_SETTINGS).cycleCount).toBe(1);
    // One complete cycle: a second is the usual next step; with a unit that gives one, the probe comes out.
    expect(nextStep(s)).toBe('start_freeze');
    expect(nextStep(s, { ...DEFAULT_SETTINGS, cyclesPerTarget: 1 })).toBe('remove_probe');
    given(events).when({ type: 'remove_probe' }).then([{ type: 'ProbeRemoved' }]);
  });

  it('does not stop an aborted procedure from taking the probe out', () => {
    const events = play([...PATH.freezing, noIceBall, endThaw, { type: 'abort', reason: 'Panne de gaz', by: radiologist }]);
    given(events).when({ type: 'remove_probe' }).then([{ type: 'ProbeRemoved' }]);
  });

  it('reads the same from events stored before it existed: a temperature ending counts as before', () => {
    const s = fold(play(PATH.cycled));
    expect(s.cycles[0]).toMatchObject({ noIceBall: false, lowestTempC: -80 });
    // A projection stored before the flag existed has no such field: still a complete cycle.
    const { noIceBall: _gone, ...older } = s.cycles[0]!;
    expect(completeCycles({ ...s, cycles: [older as typeof s.cycles[number]] })).toHaveLength(1);
  });
});
