import type { Guidance } from './targets';

// The radiation dose of a CT- or cone-beam-CT-guided act, as the unit must report it (the French
// reporting obligation for ionising-radiation acts): the console's figures and the machine.
export const DOSE_MODALITIES = ['ct', 'cone_beam_ct'] as const satisfies readonly Guidance[];
export type DoseModality = (typeof DOSE_MODALITIES)[number];

export const isDoseModality = (g: Guidance | null | undefined): g is DoseModality => (DOSE_MODALITIES as readonly string[]).includes(g ?? '');

/** A machine of the unit's rooms, as an admin lists it. */
export interface Equipment {
  name: string;
  modality: DoseModality;
  /** The room it stands in, when it is fixed. */
  roomId?: string;
}

/**
 * What a console can show for one guided cryoneurolysis: outside these, the figure is a typo (a
 * missing decimal point, µGy·m² typed as Gy·cm²), refused by name rather than stored.
 * CT: DLP in mGy·cm and CTDIvol in mGy; cone-beam CT: dose-area product in Gy·cm² and the
 * fluoroscopy time in seconds.
 */
export const DOSE_RANGES = {
  dlpMgyCm: { min: 1, max: 5000 },
  ctdiVolMgy: { min: 0.1, max: 200 },
  dapGyCm2: { min: 0.01, max: 500 },
  fluoroscopySeconds: { min: 1, max: 7200 },
} as const;
export type DoseField = keyof typeof DOSE_RANGES;

export const DOSE_FIELDS_OF: Readonly<Record<DoseModality, readonly DoseField[]>> = {
  ct: ['dlpMgyCm', 'ctdiVolMgy'],
  cone_beam_ct: ['dapGyCm2', 'fluoroscopySeconds'],
};

export type DoseFigures = Partial<Record<DoseField, number>>;

/** The value of `sorted` at quantile q (0..1), linearly interpolated between ranks (R's type 7, Excel's PERCENTILE.INC). */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (sorted.length - 1) * q;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}
