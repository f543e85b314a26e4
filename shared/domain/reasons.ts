// Reason lists are data so the forms, the reports and the labels all read the same list.
export const CANCEL_REASONS = [
  'not_fasting',
  'no_escort',
  'contraindication',
  'anticoagulant_not_stopped',
  'no_show',
  'equipment',
  'other',
] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

// Delays use the same list: the unit reports cancellations and delays side by side.
export const DELAY_REASONS = CANCEL_REASONS;
export type DelayReason = CancelReason;

// Complication kinds, graded separately on the CIRSE adverse-event scale (1–6).
export const COMPLICATION_KINDS = [
  'hematoma',
  'bleeding',
  'infection',
  'motor_weakness',
  'skin_cold_injury',
  'pneumothorax',
  'vasovagal',
  'allergic_reaction',
  'persistent_pain',
  'other',
] as const;
export type ComplicationKind = (typeof COMPLICATION_KINDS)[number];

export const PAIN_MOMENTS = ['admission', 'discharge', 'followup_d1', 'followup_m1', 'followup_m3'] as const;
export type PainMoment = (typeof PAIN_MOMENTS)[number];

export const SEXES = ['female', 'male', 'other'] as const;
export type Sex = (typeof SEXES)[number];

export const CONTRAINDICATIONS = ['localInfection', 'raynaud', 'cryoglobulinemia', 'coldUrticaria'] as const;
export type Contraindication = (typeof CONTRAINDICATIONS)[number];

export const SCREENING_RESULTS = ['negative', 'positive'] as const;
export type ScreeningResult = (typeof SCREENING_RESULTS)[number];
