import type { PainMoment } from './reasons';
import type { Actor } from './events';
import { ADMISSION_STAGES, type Stage } from './stages';
import type { CaseState } from './state';

/**
 * A pain score typed with the vitals counts for the moment its stage belongs to: before the room it
 * is the admission score, in observation the discharge score. Elsewhere (in the room) it is a vital
 * sign and no moment's score.
 */
export const PAIN_MOMENT_OF_STAGE: Partial<Record<Stage, PainMoment>> = {
  ...Object.fromEntries(ADMISSION_STAGES.map((s) => [s, 'admission'])),
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

export interface PainScore {
  at: string;
  by: Actor;
  score: number;
  /** null for a score typed with the vitals in the room. */
  moment: PainMoment | null;
}

/** Every pain score of the case: those recorded as such, then those typed with the vitals. */
export function painScoresOf(state: CaseState): PainScore[] {
  return [
    ...state.painScores.map((p) => ({ at: p.at, by: p.by, score: p.score, moment: p.moment })),
    ...state.vitals.flatMap((v) => (v.painScore === undefined ? [] : [{ at: v.at, by: v.by, score: v.painScore, moment: painMomentOfVitals(state, v.at) }])),
  ];
}

/**
 * The latest pain score for a moment, whether recorded as such or typed with the vitals in the
 * moment's stages. Follow-up calls exist only as recorded scores. Follow-up, reports, CSV and the
 * discharge sheet all read this one function.
 */
export function latestPainScore(state: CaseState, moment: PainMoment): number | null {
  const scores = painScoresOf(state).filter((p) => p.moment === moment);
  // Stable sort: at the same instant the later-recorded score wins.
  scores.sort((a, b) => time(a.at) - time(b.at));
  return scores.at(-1)?.score ?? null;
}
