import type { Lang } from '../../shared';

/**
 * Report- and export-specific wording the shared labels do not hold (yet). Kept here so the shared
 * vocabulary stays the one source for every domain term; these are only the export's own phrases.
 */
const LABELS = {
  procedure: { fr: 'Cryoneurolyse percutanée guidée par imagerie', en: 'Image-guided percutaneous cryoneurolysis' },
  encounter: { fr: 'Hospitalisation ambulatoire de radiologie interventionnelle', en: 'Interventional radiology day case' },
  cycle: { fr: 'Cycle de congélation {n}', en: 'Freeze cycle {n}' },
  lowestTemp: { fr: 'Température minimale de la sonde', en: 'Lowest probe temperature' },
  iceBall: { fr: 'Diamètre de la boule de glace', en: 'Ice-ball diameter' },
  plannedFreeze: { fr: 'Congélation prévue : {s} s', en: 'Planned freeze: {s} s' },
  guidance: { fr: 'Guidage : {g}', en: 'Guidance: {g}' },
  stimulation: { fr: 'Test de stimulation : {r}', en: 'Stimulation test: {r}' },
  thaw: { fr: 'Décongélation : {m}', en: 'Thaw: {m}' },
  probe: { fr: 'Sonde {type}, {gauge} G', en: 'Probe {type}, {gauge} G' },
  observationBay: { fr: 'Salle de surveillance', en: 'Observation bay' },
  radiologist: { fr: 'Radiologue interventionnel', en: 'Interventional radiologist' },
  unspecified: { fr: 'Non précisé', en: 'Not specified' },
  aborted: { fr: 'Procédure arrêtée avant la fin : {reason}', en: 'Procedure stopped early: {reason}' },
  timeOut: {
    fr: 'Pause avant ponction : identité, geste, cibles ({targets}), allergies, anticoagulation, imagerie et matériel confirmés ; site marqué : {marked}',
    en: 'Time-out: identity, procedure, targets ({targets}), allergies, anticoagulation, imaging and equipment confirmed; site marked: {marked}',
  },
  signOut: {
    fr: 'Bilan de fin de geste : cycles, complications et consignes confirmés',
    en: 'Sign-out: cycles, complications and instructions confirmed',
  },
  offPlan: { fr: 'Cible hors plan {target} : {reason}', en: 'Off-plan target {target}: {reason}' },
  yes: { fr: 'oui', en: 'yes' },
  no: { fr: 'non', en: 'no' },
  aldrete: { fr: "Score d'Aldrete modifié", en: 'Modified Aldrete score' },
  allergyOverride: { fr: "Malgré l'allergie : {reason}", en: 'Despite the allergy: {reason}' },
  withEpinephrine: { fr: 'avec adrénaline', en: 'with epinephrine' },
  noKnownAllergy: { fr: 'Aucune allergie connue', en: 'No known allergy' },
  bodyWeight: { fr: 'Poids', en: 'Body weight' },
  noIceBall: {
    fr: 'Pas de boule de glace : congélation sans effet (arrêt ou fausse manœuvre), non comptée',
    en: 'No ice ball: the freeze had no effect (stopped or mis-tap) and is not counted',
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type ReportLabel = keyof typeof LABELS;

export function reportLabel(lang: Lang, key: ReportLabel, params: Record<string, string | number> = {}): string {
  return LABELS[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}
