import { describe, expect, it } from 'vitest';
import { STAGES, fold } from '../../shared';
import { HEADLINE_GROUPS, dayReport, headlineGroup } from '../../server/reports/day-report';
import { PATH, at, given, nurse, play, radiologist, type Step } from './helpers/scenario';

describe('the day report headline adds up', () => {
  it('puts every stage in exactly one named group', () => {
    for (const stage of STAGES) expect(HEADLINE_GROUPS).toContain(headlineGroup(stage));
    expect(headlineGroup('scheduled')).toBe('notArrived');
    expect(headlineGroup('freezing')).toBe('inProgress');
    expect(headlineGroup('observation')).toBe('inProgress');
  });

  it('given a day of every kind, the groups sum to the total, a stopped procedure counted in its end', () => {
    const cancelled = given(play(PATH.admitted)).by(nurse).when({ type: 'cancel', reason: 'no_escort' }).then([{ type: 'CaseCancelled' }]);
    const stopped = play([...PATH.probePlaced, { type: 'abort', reason: 'malaise', by: radiologist } as Step]);
    const cases = [
      fold(play(PATH.scheduled)),
      fold(play(PATH.scheduled)),
      fold(play(PATH.ready)),
      fold(play(PATH.freezing)),
      fold(play(PATH.observing)),
      fold(play(PATH.discharged)),
      cancelled,
      fold(stopped),
    ];
    const { counts } = dayReport({ date: '2025-03-10', cases, rooms: [], roomReadies: [], now: at(200) });
    const sum = HEADLINE_GROUPS.reduce((total, group) => total + counts[group], 0);
    expect(sum).toBe(counts.scheduled);
    expect(counts).toEqual({ scheduled: 8, notArrived: 2, inProgress: 4, discharged: 1, cancelled: 1, transferred: 0, aborted: 1 });
  });
});
