import type { ExportKey } from './exports-en';
import type { ProblemKey } from './problems-en';
import type { ScreenKey } from './screens-en';
import type { AlertCode, AlertSeverity } from '../domain/alerts';
import type { Allergen } from '../domain/allergens';
import type { LocalAnestheticAgent } from '../domain/anesthetics';
import type { CirseGrade } from '../domain/cirse';
import type { CommandType, EventType } from '../domain/command-types';
import type { RoomStatus } from '../domain/context';
import type { CancelReason, ComplicationKind, Contraindication, PainMoment, ScreeningResult, Sex } from '../domain/reasons';
import type { Role } from '../domain/roles';
import type { RuleName } from '../domain/rules';
import type { Stage } from '../domain/stages';
import type { Gas, Guidance, KnownNerve, Side, StimulationResult, ThawMode } from '../domain/targets';
import { DEVICE_FIELD_NAMES, DOSE_FIELD_NAMES, type DeviceLabelKey } from './devices-keys';

// Form field names, shared by the web forms and the API's validation errors.
export const FIELD_NAMES = [
  'firstName',
  'lastName',
  'mrn',
  'birthDate',
  'sex',
  'scheduledAt',
  'plannedRoomId',
  'plannedTargets',
  'indicationNote',
  'plannedSedation',
  'appointment',
  'placer',
  'filler',
  'nerve',
  'level',
  'side',
  'guidance',
  'probeType',
  'gauge',
  'gas',
  'plannedSeconds',
  'lowestTempC',
  'iceBallMm',
  'noIceBall',
  'thawMode',
  'heartRate',
  'systolic',
  'diastolic',
  'spo2',
  'temperatureC',
  'painScore',
  'vitalSigns',
  'activity',
  'nauseaVomiting',
  'pain',
  'bleeding',
  'reason',
  'note',
  'destination',
  'drug',
  'dose',
  'agent',
  'volumeMl',
  'roomId',
  'result',
  'kind',
  'grade',
  'score',
  'moment',
  'escortConfirmed',
  'instructionsGiven',
  'identityVerified',
  'consentSigned',
  'anticoagulants',
  'antiInflammatories',
  'allergies',
  'allergyDetails',
  'escortName',
  'escortPhone',
  'patientPhone',
  'taken',
  'managed',
  'contraindications',
  'occurredAt',
  // Transport fields and nested objects of the command bodies, so a validation error on any
  // property can be named (tests/unit/labels.test.ts walks every schema).
  'type',
  'expectedVersion',
  'patient',
  'target',
  'probe',
  'escort',
  'name',
  'phone',
  'has',
  'details',
  // Safety moments, drugs and sedation recovery.
  'weightKg',
  'allergens',
  'concentrationPercent',
  'withEpinephrine',
  'allergyOverrideReason',
  'offPlanReason',
  'identityConfirmed',
  'procedureConfirmed',
  'targets',
  'siteMarked',
  'allergiesReviewed',
  'anticoagulationReviewed',
  'imagingReviewed',
  'equipmentChecked',
  'cyclesReviewed',
  'complicationsReviewed',
  'instructionsHandedOver',
  'respiration',
  'circulation',
  'consciousness',
  'oxygenSaturation',
  ...DEVICE_FIELD_NAMES,
  ...DOSE_FIELD_NAMES,
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

// Free-standing sentences the screens and the server both need.
export const UI_KEYS = ['board_disconnected', 'expected_temperature'] as const;
export type UiKey = (typeof UI_KEYS)[number];

// The domain's words: domain-fr.ts and domain-en.ts are typed against it, so a missing translation
// is a compile error, and tests/unit/labels.test.ts checks none is empty.
export type DomainKey =
  | `stage.${Stage}`
  | `command.${CommandType | 'schedule_case' | 'room_ready'}`
  | `event.${EventType}`
  | `rule.${RuleName}`
  | `alert.${AlertCode}`
  | `alert_severity.${AlertSeverity}`
  | `cirse.${CirseGrade}`
  | `target.${KnownNerve}`
  | `side.${Side}`
  | `guidance.${Guidance}`
  | `gas.${Gas}`
  | `thaw_mode.${ThawMode}`
  | `stimulation.${StimulationResult}`
  | `cancel_reason.${CancelReason}`
  | `complication.${ComplicationKind}`
  // What the patient is told to do at home after a complication of this kind (the printed sheet).
  | `complication_advice.${ComplicationKind}`
  | `pain_moment.${PainMoment}`
  | `role.${Role}`
  | `room_status.${RoomStatus}`
  | `sex.${Sex}`
  | `contraindication.${Contraindication}`
  | `screening.${ScreeningResult}`
  | `allergen.${Allergen}`
  | `anesthetic.${LocalAnestheticAgent}`
  | `field.${FieldName}`
  | `ui.${UiKey}`
  | DeviceLabelKey;

// Every label in the product, in one key type: the domain's words, the screens' chrome, the exports'
// phrases and the API's problem texts. Each area's French is typed against its keys.
export type LabelKey = DomainKey | ScreenKey | ExportKey | ProblemKey;
