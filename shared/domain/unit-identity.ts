import type { UnitIdentity } from '../contract/unit';
import type { ComplicationKind } from './reasons';

export type { UnitIdentity, UnitIdentityChange, UnitIdentityRecord } from '../contract/unit';

export const UNIT_IDENTITY_FIELDS = ['name', 'address', 'dayPhone', 'nightPhone', 'referringRadiologist'] as const;
export type UnitIdentityField = (typeof UNIT_IDENTITY_FIELDS)[number];

export const UNIT_IDENTITY_MAX_LENGTH: Record<UnitIdentityField, number> = {
  name: 120,
  address: 300,
  dayPhone: 30,
  nightPhone: 30,
  referringRadiologist: 120,
};

/** The fields a printed sheet would leave blank: the sheet names them to staff instead of printing a guess. */
export function unitIdentityGaps(identity: UnitIdentity | null): UnitIdentityField[] {
  return UNIT_IDENTITY_FIELDS.filter((field) => !identity || identity[field].trim() === '');
}

/** What the patient is told to do at home after a complication of this kind (printed on the discharge sheet). */
export const COMPLICATION_ADVICE: Record<ComplicationKind, { fr: string; en: string }> = {
  hematoma: {
    fr: 'Un hématome est apparu au point de ponction\u00a0: appliquez du froid (glace dans un linge) 10 minutes plusieurs fois par jour. Appelez si la zone grossit ou devient dure et douloureuse.',
    en: 'A bruise formed at the puncture site: apply cold (ice wrapped in a cloth) for 10 minutes several times a day. Call if it grows or becomes hard and painful.',
  },
  bleeding: {
    fr: 'Un saignement a été arrêté au point de ponction\u00a0: s’il reprend, appuyez fermement 10 minutes avec une compresse propre et appelez-nous.',
    en: 'Bleeding at the puncture site was stopped: if it starts again, press firmly for 10 minutes with a clean pad and call us.',
  },
  infection: {
    fr: 'Une infection a été suspectée\u00a0: prenez le traitement prescrit jusqu’au bout et surveillez votre température deux fois par jour. Appelez au-delà de 38\u00a0°C.',
    en: 'An infection was suspected: take the prescribed treatment to the end and check your temperature twice a day. Call above 38 °C.',
  },
  motor_weakness: {
    fr: 'Une faiblesse musculaire a été constatée\u00a0: ne conduisez pas, faites-vous aider pour marcher et appelez-nous si elle s’aggrave ou ne diminue pas dans les 48 heures.',
    en: 'Muscle weakness was noted: do not drive, get help to walk and call us if it worsens or has not eased within 48 hours.',
  },
  skin_cold_injury: {
    fr: 'La peau a souffert du froid au point de ponction\u00a0: gardez-la propre et sèche, sans crème ni chaleur. Appelez si une cloque ou une plaie apparaît.',
    en: 'The skin at the puncture site was injured by the cold: keep it clean and dry, with no cream or heat. Call if a blister or wound appears.',
  },
  pneumothorax: {
    fr: 'Un décollement de la plèvre (pneumothorax) a été surveillé\u00a0: évitez l’avion et les efforts pendant une semaine. Appelez le 15 en cas d’essoufflement ou de douleur thoracique.',
    en: 'A collapsed lung (pneumothorax) was monitored: avoid flying and exertion for a week. Call 15 if you become short of breath or have chest pain.',
  },
  vasovagal: {
    fr: 'Vous avez fait un malaise pendant l’intervention\u00a0: levez-vous lentement, buvez et mangez normalement. Appelez si les malaises se répètent.',
    en: 'You felt faint during the procedure: stand up slowly, eat and drink normally. Call if it happens again.',
  },
  allergic_reaction: {
    fr: 'Une réaction allergique a été traitée\u00a0: signalez-la à tout soignant avant un nouveau soin. Appelez le 15 en cas de gonflement du visage ou de gêne pour respirer.',
    en: 'An allergic reaction was treated: tell any carer about it before further care. Call 15 if your face swells or breathing becomes difficult.',
  },
  persistent_pain: {
    fr: 'La douleur a persisté après l’intervention\u00a0: prenez l’antalgique prescrit à heures régulières. Appelez si elle augmente malgré le traitement.',
    en: 'Pain persisted after the procedure: take the prescribed painkiller at regular times. Call if it increases despite the treatment.',
  },
  other: {
    fr: 'Un événement a été noté pendant l’intervention\u00a0: l’équipe vous a expliqué quoi surveiller. Appelez-nous au moindre doute.',
    en: 'An event was noted during the procedure: the team explained what to watch for. Call us if in any doubt.',
  },
};
