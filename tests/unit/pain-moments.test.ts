import { describe, expect, it } from 'vitest';
import { latestPainScore, painMomentOfVitals, type CaseState } from '../../shared';

const by = { id: 'n1', name: 'Inès Martin', role: 'nurse' as const };
const vitals = (at: string, painScore?: number) => ({ at, by, heartRate: 70, systolic: 120, diastolic: 80, spo2: 98, ...(painScore === undefined ? {} : { painScore }) });
const stages = [
  { stage: 'scheduled', at: '2026-03-02T07:00:00.000Z' },
  { stage: 'admitted', at: '2026-03-02T07:30:00.000Z' },
  { stage: 'ready', at: '2026-03-02T07:45:00.000Z' },
  { stage: 'in_room', at: '2026-03-02T08:00:00.000Z' },
  { stage: 'observation', at: '2026-03-02T09:00:00.000Z' },
] as const;

function given(v: ReturnType<typeof vitals>[], painScores: CaseState['painScores'] = []): CaseState {
  return { stageHistory: stages.map((s) => ({ ...s })), stage: 'observation', vitals: v, painScores } as unknown as CaseState;
}

describe('pain score for admission and discharge', () => {
  it('given a pain typed with the vitals while admitted, when read for admission, then it counts; in the room it counts for no moment', () => {
    const state = given([vitals('2026-03-02T07:35:00.000Z', 6), vitals('2026-03-02T08:20:00.000Z', 9)]);
    expect(latestPainScore(state, 'admission')).toBe(6);
    expect(latestPainScore(state, 'discharge')).toBeNull();
    expect(painMomentOfVitals(state, '2026-03-02T08:20:00.000Z')).toBeNull();
  });

  it('given vitals in observation without a pain score, then the discharge pain is still missing; with one, it counts', () => {
    expect(latestPainScore(given([vitals('2026-03-02T09:10:00.000Z')]), 'discharge')).toBeNull();
    expect(latestPainScore(given([vitals('2026-03-02T09:10:00.000Z'), vitals('2026-03-02T09:20:00.000Z', 2)]), 'discharge')).toBe(2);
  });

  it('given a recorded score and a vitals score for the same moment, then the later one wins either way', () => {
    const recorded = [{ at: '2026-03-02T07:40:00.000Z', by, score: 5, moment: 'admission' as const }];
    expect(latestPainScore(given([vitals('2026-03-02T07:35:00.000Z', 6)], recorded), 'admission')).toBe(5);
    expect(latestPainScore(given([vitals('2026-03-02T07:50:00.000Z', 6)], recorded), 'admission')).toBe(6);
  });

  it('follow-up moments come only from recorded calls', () => {
    const recorded = [{ at: '2026-03-03T09:00:00.000Z', by, score: 1, moment: 'followup_d1' as const }];
    expect(latestPainScore(given([vitals('2026-03-02T09:20:00.000Z', 2)], recorded), 'followup_d1')).toBe(1);
  });
});
