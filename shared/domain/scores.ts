// The two recovery scores the discharge rule reads, item by item, each item scored 2 (best) to 0.
// Their totals are computed here alone: the fold, the forms and the timeline all read these.

// Chung's Post-Anaesthetic Discharge Scoring System.
export const PADSS_ITEMS = ['vitalSigns', 'activity', 'nauseaVomiting', 'pain', 'bleeding'] as const;
export type PadssItem = (typeof PADSS_ITEMS)[number];

// The modified Aldrete score, after sedation.
export const ALDRETE_ITEMS = ['activity', 'respiration', 'circulation', 'consciousness', 'oxygenSaturation'] as const;
export type AldreteItem = (typeof ALDRETE_ITEMS)[number];

export const scoreTotal = <I extends string>(items: readonly I[], scores: Readonly<Record<I, number>>): number =>
  items.reduce((sum, item) => sum + scores[item], 0);

export const padssTotal = (scores: Readonly<Record<PadssItem, number>>): number => scoreTotal(PADSS_ITEMS, scores);
export const aldreteTotal = (scores: Readonly<Record<AldreteItem, number>>): number => scoreTotal(ALDRETE_ITEMS, scores);
