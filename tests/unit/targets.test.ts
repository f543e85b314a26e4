import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, countsTowards, fold, missingSides, nextStep, probeSites, sameTarget, targetProgress, untreatedTargets, type Side, type Target } from '../../shared';
import { PATH, endFreeze, play, scheduleBody, startFreeze, type Step } from './helpers/scenario';

const pudendal = (side: Side, level?: string): Target => (level ? { nerve: 'pudendal', level, side } : { nerve: 'pudendal', side });

// A full cycle on one side of the pudendal nerve, from an idle or freshly anaesthetised probe.
const cycleOn = (side: Side): Step[] => [
  { type: 'position_probe', target: pudendal(side), guidance: 'ct', probe: { type: 'cryoprobe', gauge: 13 } },
  startFreeze,
  endFreeze,
  { type: 'end_thaw' },
];
const bilateralPlan = { body: scheduleBody({ plannedTargets: [pudendal('bilateral')] }) };

describe('a planned bilateral target', () => {
  it('is treated once a left and a right cycle exist on that nerve; one side alone is partial', () => {
    expect(targetProgress(pudendal('bilateral'), [])).toBe('untreated');
    expect(targetProgress(pudendal('bilateral'), [pudendal('left')])).toBe('partial');
    expect(missingSides(pudendal('bilateral'), [pudendal('left')])).toEqual(['right']);
    expect(targetProgress(pudendal('bilateral'), [pudendal('right'), pudendal('left')])).toBe('treated');
    // Two probes frozen together, recorded as one bilateral cycle, treat both sides.
    expect(targetProgress(pudendal('bilateral'), [pudendal('bilateral')])).toBe('treated');
    expect(targetProgress(pudendal('left'), [pudendal('bilateral')])).toBe('treated');
  });

  it('counts only cycles on the same nerve and level', () => {
    expect(targetProgress(pudendal('bilateral', 'S2'), [pudendal('left', 'S3'), pudendal('right', 'S2')])).toBe('partial');
    expect(targetProgress(pudendal('left'), [{ nerve: 'cluneal', side: 'left' }])).toBe('untreated');
    expect(targetProgress(pudendal('left'), [pudendal('right')])).toBe('untreated');
    expect(targetProgress(pudendal('midline'), [pudendal('bilateral')])).toBe('untreated');
  });

  it('untreatedTargets narrows a half-treated bilateral target to the side still missing', () => {
    expect(untreatedTargets([pudendal('bilateral'), pudendal('left', 'S3')], [pudendal('left')])).toEqual([pudendal('right'), pudendal('left', 'S3')]);
    expect(untreatedTargets([pudendal('bilateral')], [pudendal('left'), pudendal('right')])).toEqual([]);
  });

  it('the flow suggests the other side after the first, then probe removal', () => {
    const left = play([...PATH.anesthetised, ...cycleOn('left')], bilateralPlan);
    const oneCycle = { ...DEFAULT_SETTINGS, cyclesPerTarget: 1 };
    expect(nextStep(fold(left), oneCycle)).toBe('position_probe');
    const both = play([...PATH.anesthetised, ...cycleOn('left'), ...cycleOn('right')], bilateralPlan);
    expect(nextStep(fold(both), oneCycle)).toBe('remove_probe');
  });

  it('a left or right cycle counts towards the bilateral plan, not towards the other side', () => {
    expect(countsTowards(pudendal('left'), pudendal('bilateral'))).toBe(true);
    expect(countsTowards(pudendal('bilateral'), pudendal('right'))).toBe(true);
    expect(countsTowards(pudendal('left'), pudendal('right'))).toBe(false);
    expect(countsTowards(pudendal('left', 'S2'), pudendal('bilateral'))).toBe(false);
  });

  it('is offered to the probe as its left and its right side; any other target as itself', () => {
    expect(probeSites(pudendal('bilateral', 'S2'))).toEqual([pudendal('left', 'S2'), pudendal('right', 'S2')]);
    for (const side of ['left', 'right', 'midline'] as const) expect(probeSites(pudendal(side))).toEqual([pudendal(side)]);
  });

  it('sameTarget still means the exact site (nerve, level and side), for grouping cycles', () => {
    expect(sameTarget(pudendal('left'), pudendal('left'))).toBe(true);
    expect(sameTarget(pudendal('bilateral'), pudendal('left'))).toBe(false);
  });
});
