import type { CancelReason, ComplicationKind, PainMoment, Side, Stage, Target } from '$shared';

// Shapes of the report endpoints (server/reports/*): the web cannot import server code, so the
// answers are described here; the integration tests pin the server side.
export type DurationKey = 'arrivalToRoom' | 'roomToFirstFreeze' | 'procedure' | 'observation' | 'totalStay';
export const DURATION_KEYS: readonly DurationKey[] = ['arrivalToRoom', 'roomToFirstFreeze', 'procedure', 'observation', 'totalStay'];

export interface Average {
  mean: number | null;
  median: number | null;
  n: number;
}

export interface DayReport {
  date: string;
  generatedAt: string;
  counts: { scheduled: number; notArrived: number; discharged: number; cancelled: number; transferred: number; aborted: number; inProgress: number };
  cases: {
    caseId: string;
    initials: string;
    scheduledAt: string;
    stage: Stage;
    roomId: string | null;
    durations: Record<DurationKey, number | null>;
    cycles: number;
    /** Freezes that ended with no ice ball: not in `cycles`, shown beside it. */
    noIceBall: number;
    complications: number;
    timeOut: boolean;
    signOut: boolean;
    offPlanTargets: number;
    localAnestheticMg: number | null;
    maxDosePct: number | null;
  }[];
  averages: Record<DurationKey, Average>;
  span: { start: string | null; end: string | null; minutes: number | null };
  rooms: { roomId: string; name: string; patients: number; occupiedMinutes: number; utilisation: number | null; turnovers: (number | null)[]; meanTurnover: number | null }[];
  meanTurnover: number | null;
  targets: { nerve: string; level: string | null; side: Side; cycles: number; totalFreezeSeconds: number; lowestTempC: number | null; noIceBall: number; running: number; offPlan: boolean }[];
  complicationsByGrade: Record<'1' | '2' | '3' | '4' | '5' | '6', number>;
  complicationsByKind: Partial<Record<ComplicationKind, number>>;
  cancellationsByReason: Partial<Record<CancelReason, number>>;
  delaysByReason: Partial<Record<CancelReason | 'unspecified', number>>;
}

export type CallMoment = 'followup_d1' | 'followup_m1' | 'followup_m3';
export interface FollowUpPatient {
  caseId: string;
  version: number;
  patient: { firstName: string; lastName: string; mrn: string; birthDate: string };
  escortPhone: string | null;
  patientPhone: string | null;
  dischargedOn: string;
  targets: Target[];
  scores: Record<PainMoment, number | null>;
  calls: { moment: CallMoment; dueOn: string; status: 'done' | 'due' | 'overdue' | 'upcoming'; score: number | null }[];
  relief: { from: number; to: number; moment: PainMoment; points: number; percent: number | null } | null;
}
export interface FollowUpList {
  from: string;
  to: string;
  today: string;
  patients: FollowUpPatient[];
  dueToday: { caseId: string; moment: CallMoment; dueOn: string; status: 'due' | 'overdue' }[];
}

export interface Series {
  label: string;
  data: (number | null)[];
  color: string;
}
