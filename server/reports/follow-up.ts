import { PAIN_MOMENTS, latestPainScore, type CaseState, type PainMoment } from '../../shared';
import { addDays, addMonths } from './dates';
import { dayOf } from '../cases/day';

export const CALL_MOMENTS = ['followup_d1', 'followup_m1', 'followup_m3'] as const satisfies readonly PainMoment[];
export type CallMoment = (typeof CALL_MOMENTS)[number];

/**
 * When each follow-up call falls after a discharge day, and how long a missed one stays "due"
 * before it is shown as overdue (the nurse still calls; the list says it is late).
 */
const SCHEDULE: Record<CallMoment, { due: (day: string) => string; graceDays: number }> = {
  followup_d1: { due: (d) => addDays(d, 1), graceDays: 2 },
  followup_m1: { due: (d) => addMonths(d, 1), graceDays: 7 },
  followup_m3: { due: (d) => addMonths(d, 3), graceDays: 14 },
};

export type CallStatus = 'done' | 'due' | 'overdue' | 'upcoming';

export interface FollowUpCall {
  moment: CallMoment;
  dueOn: string;
  status: CallStatus;
  score: number | null;
}

export interface FollowUpLine {
  caseId: string;
  version: number;
  patient: { firstName: string; lastName: string; mrn: string; birthDate: string };
  escortPhone: string | null;
  patientPhone: string | null;
  dischargedOn: string;
  targets: CaseState['plannedTargets'];
  /** Latest score per moment (a repeated call replaces the previous answer). */
  scores: Record<PainMoment, number | null>;
  calls: FollowUpCall[];
  /** Admission score minus the latest later score; positive is relief. */
  relief: { from: number; to: number; moment: PainMoment; points: number; percent: number | null } | null;
}

export function followUpLine(state: CaseState, today: string, timeZone: string): FollowUpLine | null {
  if (state.stage !== 'discharged' || !state.discharge) return null;
  const dischargedOn = dayOf(state.discharge.at, timeZone);
  const scores = Object.fromEntries(PAIN_MOMENTS.map((m) => [m, latestPainScore(state, m)])) as Record<PainMoment, number | null>;
  const calls = CALL_MOMENTS.map((moment): FollowUpCall => {
    const dueOn = SCHEDULE[moment].due(dischargedOn);
    const score = scores[moment];
    let status: CallStatus = 'upcoming';
    if (score !== null) status = 'done';
    else if (today >= dueOn) status = today > addDays(dueOn, SCHEDULE[moment].graceDays) ? 'overdue' : 'due';
    return { moment, dueOn, status, score };
  });
  const later = (['followup_m3', 'followup_m1', 'followup_d1', 'discharge'] as const).find((m) => scores[m] !== null);
  const from = scores.admission;
  const relief =
    from !== null && later
      ? {
          from,
          to: scores[later]!,
          moment: later,
          points: from - scores[later]!,
          percent: from > 0 ? Math.round(((from - scores[later]!) / from) * 100) : null,
        }
      : null;
  return {
    caseId: state.id,
    version: state.version,
    patient: { firstName: state.patient.firstName, lastName: state.patient.lastName, mrn: state.patient.mrn, birthDate: state.patient.birthDate },
    escortPhone: state.checklist.escort?.phone ?? null,
    patientPhone: state.patientPhone ?? null,
    dischargedOn,
    targets: state.plannedTargets,
    scores,
    calls,
    relief,
  };
}

export function followUpList(cases: readonly CaseState[], today: string, timeZone: string) {
  const patients = cases
    .map((s) => followUpLine(s, today, timeZone))
    .filter((l): l is FollowUpLine => l !== null)
    .sort((a, b) => b.dischargedOn.localeCompare(a.dischargedOn) || a.patient.lastName.localeCompare(b.patient.lastName));
  const dueToday = patients.flatMap((p) =>
    p.calls.filter((c) => c.status === 'due' || c.status === 'overdue').map((c) => ({ caseId: p.caseId, moment: c.moment, dueOn: c.dueOn, status: c.status })),
  );
  return { today, patients, dueToday };
}
