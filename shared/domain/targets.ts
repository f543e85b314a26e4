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

// Two targets are the same treatment site when nerve, level and side match: for grouping cycles by
// where the probe sat. To tell whether a *planned* target is treated, use targetProgress (a planned
// bilateral target is treated by a left and a right cycle, which sameTarget never matches).
export const sameTarget = (a: Target, b: Target): boolean =>
  sameNerve(a, b) && a.side === b.side;

const sameNerve = (a: Target, b: Target): boolean => a.nerve === b.nerve && (a.level ?? '') === (b.level ?? '');

// The sides a target covers: a bilateral plan needs both; a cycle recorded as bilateral (two probes
// frozen together) covers both. Midline is its own site.
const SIDES_OF: Readonly<Record<Side, readonly Side[]>> = {
  left: ['left'],
  right: ['right'],
  bilateral: ['left', 'right'],
  midline: ['midline'],
};

// Where the probe sits to treat a target, one side at a time: a bilateral target is its left and
// its right; any other target is itself. The probe form offers these.
export const probeSites = (target: Target): Target[] => SIDES_OF[target.side].map((side) => ({ ...target, side }));

// The sides of a planned target that no treated target (a complete cycle's) has covered yet, in
// the order they are usually done.
export function missingSides(planned: Target, treated: readonly Target[]): Side[] {
  const covered = new Set(treated.filter((t) => sameNerve(t, planned)).flatMap((t) => SIDES_OF[t.side]));
  return SIDES_OF[planned.side].filter((side) => !covered.has(side));
}

export type TargetProgress = 'untreated' | 'partial' | 'treated';

// A planned bilateral target with only its left side frozen is partial, not treated.
export function targetProgress(planned: Target, treated: readonly Target[]): TargetProgress {
  const missing = missingSides(planned, treated).length;
  if (missing === 0) return 'treated';
  return missing === SIDES_OF[planned.side].length ? 'untreated' : 'partial';
}

// Whether a cycle on `treated` counts towards the planned target (a left cycle counts towards a
// bilateral plan): for showing each planned target with its cycles.
export const countsTowards = (treated: Target, planned: Target): boolean =>
  sameNerve(treated, planned) && SIDES_OF[treated.side].some((side) => SIDES_OF[planned.side].includes(side));

// The planned targets still to treat, in plan order; a half-treated bilateral target comes back as
// the one side still missing, ready to prefill the probe form.
export function untreatedTargets(planned: readonly Target[], treated: readonly Target[]): Target[] {
  return planned.flatMap((t) => {
    const missing = missingSides(t, treated);
    if (missing.length === 0) return [];
    return [missing.length < SIDES_OF[t.side].length ? { ...t, side: missing[0]! } : t];
  });
}

const targetKey = (t: Target): string => JSON.stringify([t.nerve, t.level ?? '', t.side]);

// The time-out confirms exactly the planned targets: the same ones, as many times, in any order.
export function sameTargetSet(a: readonly Target[], b: readonly Target[]): boolean {
  const keys = (ts: readonly Target[]) => ts.map(targetKey).sort();
  return JSON.stringify(keys(a)) === JSON.stringify(keys(b));
}

export type TargetFit = 'planned' | 'side_mismatch' | 'not_planned';

// Where a probe position stands against the case's targets: on one of them (a side of a bilateral
// target is on it), on a targeted nerve and level but the wrong side, or on a nerve never planned.
export function targetFit(targets: readonly Target[], probe: Target): TargetFit {
  const sameSite = targets.filter((t) => sameNerve(t, probe));
  if (sameSite.length === 0) return 'not_planned';
  return sameSite.some((t) => SIDES_OF[probe.side].every((side) => SIDES_OF[t.side].includes(side))) ? 'planned' : 'side_mismatch';
}
