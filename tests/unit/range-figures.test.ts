import { describe, expect, it } from 'vitest';
import { fold } from '../../shared';
import { rangeCase, rangeFigures, type RangeCase } from '../../server/reports/range-report';
import { fullChecklist, play, scheduleBody } from './helpers/scenario';

const asRangeCase = (state: ReturnType<typeof fold>): RangeCase => rangeCase('2025-03-10', state);

describe('range figures of a period', () => {
  it('with no case: counts of zero, and no rate or percentile invented from nothing', () => {
    const f = rangeFigures([]);
    expect(f).toMatchObject({ scheduled: 0, performed: 0, cancelled: 0, transferred: 0, cancellationsByReason: {}, pain: [] });
    expect(f.targetsPerAct).toEqual({ total: 0, mean: null, median: null });
    expect(f.stages.procedure).toEqual({ n: 0, median: null, p90: null });
    expect(f.punctuality).toEqual({ n: 0, median: null, p90: null, onTime: 0, onTimeRate: null });
    expect(f.complications).toMatchObject({ total: 0, acts: 0, per100: null, byKind: {} });
    expect(f.complications.byGrade['1']).toEqual({ count: 0, per100: null });
    expect(f.sedation).toEqual({ sedated: 0, rate: null });
  });

  it('a patient admitted then cancelled is scheduled and cancelled, never an act: no pain line, no per-act figure', () => {
    const state = fold(
      play(
        [
          { type: 'admit' },
          fullChecklist,
          { type: 'record_pain_score', moment: 'admission', score: 7 },
          { type: 'cancel', reason: 'anticoagulant_not_stopped' },
        ],
        { body: scheduleBody({ plannedTargets: [{ nerve: 'nerf saphène', side: 'left' }] }) },
      ),
    );
    const f = rangeFigures([asRangeCase(state)]);
    expect(f).toMatchObject({ scheduled: 1, performed: 0, cancelled: 1, cancellationsByReason: { anticoagulant_not_stopped: 1 }, pain: [] });
    expect(f.stages.arrivalToRoom.n).toBe(0);
  });
});
