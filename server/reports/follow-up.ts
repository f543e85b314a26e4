import {
  FOLLOW_UP_CALLS,
  FOLLOW_UP_PROTOCOL,
  PAIN_MOMENTS,
  RELIEF_MOMENTS,
  addDays,
  dayOf,
  latestPainScore,
  type CallMoment,
  type CallStatus,
  type CaseState,
  type FollowUpCall,
  type FollowUpList,
  type FollowUpPatient,
  type PainMoment,
} from '../../shared';
import { addMonths } from './dates';

// The protocol (which calls, when, how long they stay due) is shared/domain/follow-up.ts's.
const dueOn = (dischargedOn: string, moment: CallMoment): string => {
  const after = FOLLOW_UP_PROTOCOL[moment].after;
  return 'days' in after ? addDays(dischargedOn, after.days) : addMonths(dischargedOn, after.months);
};

export function followUpLine(state: CaseState, today: string, timeZone: string): FollowUpPatient | null {
  if (state.stage !== 'discharged' || !state.discharge) return null;
  const dischargedOn = dayOf(state.discharge.at, timeZone);
  const scores = Object.fromEntries(PAIN_MOMENTS.map((m) => [m, latestPainScore(state, m)])) as Record<PainMoment, number | null>;
  const calls = FOLLOW_UP_CALLS.map((moment): FollowUpCall => {
    const due = dueOn(dischargedOn, moment);
    const score = scores[moment];
    let status: CallStatus = 'upcoming';
    if (score !== null) status = 'done';
    else if (today >= due) status = today > addDays(due, FOLLOW_UP_PROTOCOL[moment].graceDays) ? 'overdue' : 'due';
    return { moment, dueOn: due, status, score };
  });
  const later = RELIEF_MOMENTS.find((m) => scores[m] !== null);
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

const isOpen = (call: FollowUpCall): call is FollowUpCall & { status: 'due' | 'overdue' } => call.status === 'due' || call.status === 'overdue';

export function followUpList(cases: readonly CaseState[], today: string, timeZone: string): Omit<FollowUpList, 'from' | 'to'> {
  const patients = cases
    .map((s) => followUpLine(s, today, timeZone))
    .filter((l): l is FollowUpPatient => l !== null)
    .sort((a, b) => b.dischargedOn.localeCompare(a.dischargedOn) || a.patient.lastName.localeCompare(b.patient.lastName));
  const dueToday = patients.flatMap((p) =>
    p.calls.filter(isOpen).map((c) => ({ caseId: p.caseId, moment: c.moment, dueOn: c.dueOn, status: c.status })),
  );
  return { today, patients, dueToday };
}
