import type { PainMoment } from './reasons';

// The follow-up protocol after a discharge: a call the next day, at one month and at three months,
// each asking the patient's pain score. A missed call stays "due" for a grace period, then is shown
// as overdue (the nurse still calls; the list says it is late).
export const FOLLOW_UP_CALLS = ['followup_d1', 'followup_m1', 'followup_m3'] as const satisfies readonly PainMoment[];
export type CallMoment = (typeof FOLLOW_UP_CALLS)[number];

export interface CallSchedule {
  /** How long after the discharge day the call falls. */
  after: { days: number } | { months: number };
  graceDays: number;
}

export const FOLLOW_UP_PROTOCOL: Readonly<Record<CallMoment, CallSchedule>> = {
  followup_d1: { after: { days: 1 }, graceDays: 2 },
  followup_m1: { after: { months: 1 }, graceDays: 7 },
  followup_m3: { after: { months: 3 }, graceDays: 14 },
};

// Relief is the admission score against the latest score after the procedure: the moments looked
// at, latest first.
export const RELIEF_MOMENTS = ['followup_m3', 'followup_m1', 'followup_d1', 'discharge'] as const satisfies readonly PainMoment[];
