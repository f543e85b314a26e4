// Nerve targets seen in the unit (from the hospital's list of indications). The field stays free text:
// a radiologist may treat a nerve that is not listed, and the UI then shows what was typed.
export const TARGET_NERVES = [
  'intercostal',
  'greater_occipital',
  'pudendal',
  'trigeminal',
  'great_auricular',
  'cluneal',
  'genicular',
  'suprascapular',
  'ankle',
  'cervical_facet',
  'lumbar_facet',
  'sacroiliac',
  'post_surgical_neuroma',
  'intercostobrachial',
  'other',
] as const;

export type KnownNerve = (typeof TARGET_NERVES)[number];

export const SIDES = ['left', 'right', 'bilateral', 'midline'] as const;
export type Side = (typeof SIDES)[number];

export const GUIDANCES = ['ultrasound', 'ct', 'cone_beam_ct'] as const;
export type Guidance = (typeof GUIDANCES)[number];

export const GASES = ['n2o', 'co2'] as const;
export type Gas = (typeof GASES)[number];

export const THAW_MODES = ['passive', 'active'] as const;
export type ThawMode = (typeof THAW_MODES)[number];

export const STIMULATION_RESULTS = ['none', 'sensory', 'motor'] as const;
export type StimulationResult = (typeof STIMULATION_RESULTS)[number];

export interface Target {
  nerve: string;
  level?: string;
  side: Side;
}

export const isKnownNerve = (nerve: string): nerve is KnownNerve =>
  (TARGET_NERVES as readonly string[]).includes(nerve);

// Two targets are the same treatment site when nerve, level and side match; used to tell which
// planned targets still lack a complete freeze cycle.
export const sameTarget = (a: Target, b: Target): boolean =>
  a.nerve === b.nerve && (a.level ?? '') === (b.level ?? '') && a.side === b.side;
