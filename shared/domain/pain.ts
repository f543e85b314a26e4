import type { PainMoment } from './reasons';
import type { Stage } from './stages';
import type { CaseState } from './state';

/**
 * A pain score typed with the vitals counts for the moment its stage belongs to: before the room it
 * is the admission score, in observation the discharge score. Elsewhere (in the room) it is a vital
 * sign and no moment's score.
 */
export const PAIN_MOMENT_OF_STAGE: Partial<Record<Stage, PainMoment>> = {
  scheduled: 'admission',
  admitted: 'admission',
  ready: 'admission',
  observation: 'discharge',
};

const time = (iso: string) => Date.parse(iso);

/** The stage the case was in at `at` (its stage history is ordered, each entry dated when it began). */
export function stageAt(state: CaseState, at: string): Stage {
  let stage = state.stageHistory[0]?.stage ?? state.stage;
  for (const entry of state.stageHistory) {
    if (time(entry.at) <= time(at)) stage = entry.stage;
    else break;
  }
  return stage;
}

/** The moment a vitals pain score counts for, or null when it was taken in the room. */
export function painMomentOfVitals(state: CaseState, at: string): PainMoment | null {
  return PAIN_MOMENT_OF_STAGE[stageAt(state, at)] ?? null;
}

/**
 * The latest pain score for a moment, whether recorded as such or typed with the vitals in the
 * moment's stages. Follow-up calls exist only as recorded scores. Follow-up, reports, CSV and the
 * discharge sheet all read this one function.
 */
export function latestPainScore(state: CaseState, moment: PainMoment): number | null {
  const scores = [
    ...state.painScores.filter((p) => p.moment === moment).map((p) => ({ at: p.at, score: p.score })),
    ...state.vitals.flatMap((v) => (v.painScore !== undefined && painMomentOfVitals(state, v.at) === moment ? [{ at: v.at, score: v.painScore }] : [])),
  ];
  // Stable sort: at the same instant the later-recorded score wins.
  scores.sort((a, b) => time(a.at) - time(b.at));
  return scores.at(-1)?.score ?? null;
}
