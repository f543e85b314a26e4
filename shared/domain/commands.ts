import Type, { type Static, type TObject, type TSchema } from 'typebox';
import { ALLERGENS } from './allergens';
import { LOCAL_ANESTHETIC_AGENTS } from './anesthetics';
import { COMMAND_TYPES, type CommandType } from './command-types';
import { DEVICE_KINDS } from './devices';
import { DOSE_MODALITIES } from './dose';
import { CANCEL_REASONS, COMPLICATION_KINDS, PAIN_MOMENTS, SCREENING_RESULTS, SEXES } from './reasons';
import { GASES, GUIDANCES, SIDES, STIMULATION_RESULTS, THAW_MODES } from './targets';

// Every string and number is bounded: the web forms read the same limits, and a hostile body
// can never make the server store megabytes.
const Text = (maxLength: number, minLength = 1) => Type.String({ minLength, maxLength });

// A reason is what a reviewer reads later to understand an override, an abort or a correction:
// spaces alone say nothing. At least 3 non-blank characters. Anchored on purpose, so it means the
// same in JSON Schema (ajv and TypeBox search it, u flag) and in an HTML pattern attribute (which
// wraps it in ^(?:…)$, v flag); linear, so a long hostile string cannot make it backtrack.
const REASON_PATTERN = '^\\s*\\S\\s*\\S\\s*\\S[\\s\\S]*$';
// Something other than spaces, for required names typed in free text.
const NON_BLANK_PATTERN = '^\\s*\\S[\\s\\S]*$';
// Escaped inside the class so that the same text also compiles with the `v` flag a browser's pattern attribute uses.
export const PHONE_PATTERN = '^[0-9+\\(\\)\\.\\- ]+$';
const Reason = Type.String({ minLength: 3, maxLength: 500, pattern: REASON_PATTERN });
const Note = Text(1000, 0);
export const DateTime = Type.String({ format: 'date-time', maxLength: 40 });
const Int = (minimum: number, maximum: number) => Type.Integer({ minimum, maximum });

export const TargetSchema = Type.Object(
  {
    nerve: Text(80),
    level: Type.Optional(Text(20)),
    side: Type.Enum(SIDES),
  },
  { additionalProperties: false },
);

const ProbeSpecSchema = Type.Object(
  { type: Text(60), gauge: Int(8, 30) },
  { additionalProperties: false },
);

// A device as a hand-held scanner types it (GS1 UDI, raw or with brackets), or its label's fields
// typed by hand. The GTIN pattern only says "digits"; the check digit is a named rule (a typo).
export const DeviceSchema = Type.Union([
  Type.Object({ udi: Type.String({ minLength: 1, maxLength: 120, pattern: NON_BLANK_PATTERN }) }, { additionalProperties: false }),
  Type.Object(
    {
      gtin: Type.Optional(Type.String({ maxLength: 14, pattern: '^([0-9]{8}|[0-9]{12,14})?$' })),
      lot: Type.String({ minLength: 1, maxLength: 20, pattern: NON_BLANK_PATTERN }),
      expiry: Type.Optional(Type.String({ format: 'date', maxLength: 10 })),
      serial: Type.Optional(Text(20, 0)),
    },
    { additionalProperties: false },
  ),
]);

const Drug = Type.Object(
  { taken: Type.Boolean(), managed: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

const Screening = Type.Enum(SCREENING_RESULTS);

export const PatientSchema = Type.Object(
  {
    firstName: Text(80),
    lastName: Text(80),
    mrn: Text(32),
    birthDate: Type.String({ format: 'date', maxLength: 10 }),
    sex: Type.Optional(Type.Enum(SEXES)),
  },
  { additionalProperties: false },
);

const PlannedTargets = Type.Array(TargetSchema, { minItems: 1, maxItems: 8 });
const RoomId = Text(64);

// The hospital's own numbers for the booking (HL7 SCH-1 / SCH-2, a FHIR Appointment identifier): kept on
// the case so a later message from the scheduling system finds it.
export const AppointmentSchema = Type.Object(
  { placer: Type.Optional(Text(80)), filler: Type.Optional(Text(80)) },
  { additionalProperties: false },
);

export const scheduleCaseBody = Type.Object(
  {
    patient: PatientSchema,
    scheduledAt: DateTime,
    plannedRoomId: Type.Optional(Type.Union([RoomId, Type.Null()])),
    plannedTargets: PlannedTargets,
    indicationNote: Type.Optional(Text(500, 0)),
    plannedSedation: Type.Optional(Type.Boolean()),
    appointment: Type.Optional(AppointmentSchema),
  },
  { additionalProperties: false },
);
export type ScheduleCaseBody = Static<typeof scheduleCaseBody>;

const Empty = {};

// Payload of each command (everything but type / expectedVersion / occurredAt).
export const commandPayloads = {
  reschedule_case: {
    scheduledAt: DateTime,
    plannedRoomId: Type.Optional(Type.Union([RoomId, Type.Null()])),
    plannedTargets: Type.Optional(PlannedTargets),
    reason: Type.Optional(Type.Enum(CANCEL_REASONS)),
    note: Type.Optional(Note),
  },
  // The targets alone, for the radiologist too: who may move a booking's time or room stays the coordinator.
  plan_targets: { plannedTargets: PlannedTargets },
  // The patient's own line, for the follow-up calls; the same shape as the escort's.
  admit: { patientPhone: Type.Optional(Type.String({ minLength: 4, maxLength: 30, pattern: PHONE_PATTERN })) },
  record_checklist: {
    identityVerified: Type.Optional(Type.Boolean()),
    consentSigned: Type.Optional(Type.Boolean()),
    anticoagulants: Type.Optional(Drug),
    antiInflammatories: Type.Optional(Drug),
    // Allergens as codes, so a drug of a class on file can be refused; `other` is told in details.
    allergies: Type.Optional(
      Type.Object(
        {
          has: Type.Boolean(),
          allergens: Type.Optional(Type.Array(Type.Enum(ALLERGENS), { maxItems: ALLERGENS.length, uniqueItems: true })),
          details: Type.Optional(Text(500, 0)),
        },
        { additionalProperties: false },
      ),
    ),
    // Doses are capped per kg: the weight is part of being ready.
    weightKg: Type.Optional(Type.Number({ minimum: 20, maximum: 300 })),
    // null records that the escort is no longer available.
    escort: Type.Optional(
      Type.Union([
        Type.Object({ name: Text(120), phone: Type.String({ minLength: 4, maxLength: 30, pattern: PHONE_PATTERN }) }, { additionalProperties: false }),
        Type.Null(),
      ]),
    ),
    contraindications: Type.Optional(
      Type.Object(
        {
          localInfection: Type.Optional(Screening),
          raynaud: Type.Optional(Screening),
          cryoglobulinemia: Type.Optional(Screening),
          coldUrticaria: Type.Optional(Screening),
        },
        { additionalProperties: false },
      ),
    ),
  },
  mark_ready: Empty,
  enter_room: { roomId: RoomId },
  // Booleans, not literal true: an item left unticked is refused by a named rule (time_out_incomplete)
  // the team can read aloud, not by a 400.
  confirm_time_out: {
    identityConfirmed: Type.Boolean(),
    procedureConfirmed: Type.Boolean(),
    targets: Type.Array(TargetSchema, { maxItems: 8 }),
    siteMarked: Type.Boolean(),
    allergiesReviewed: Type.Boolean(),
    anticoagulationReviewed: Type.Boolean(),
    imagingReviewed: Type.Boolean(),
    equipmentChecked: Type.Boolean(),
  },
  give_sedation: { drug: Text(80), dose: Type.Optional(Text(40)), allergyOverrideReason: Type.Optional(Reason) },
  give_local_anesthesia: {
    agent: Type.Enum(LOCAL_ANESTHETIC_AGENTS),
    concentrationPercent: Type.Number({ minimum: 0.05, maximum: 5 }),
    volumeMl: Type.Number({ minimum: 0.1, maximum: 100 }),
    withEpinephrine: Type.Optional(Type.Boolean()),
    allergyOverrideReason: Type.Optional(Reason),
  },
  position_probe: {
    target: TargetSchema,
    guidance: Type.Enum(GUIDANCES),
    probe: ProbeSpecSchema,
    // A target outside the plan needs the radiologist's reason, kept on the record.
    offPlanReason: Type.Optional(Reason),
    device: Type.Optional(DeviceSchema),
  },
  record_device: { kind: Type.Enum(DEVICE_KINDS), device: DeviceSchema },
  record_stimulation: { result: Type.Enum(STIMULATION_RESULTS) },
  start_freeze: { gas: Type.Enum(GASES), plannedSeconds: Int(30, 900) },
  // Deliberately wider than the plausible −120…−40 °C: the rule, not the schema, refuses a typo,
  // so the nurse gets a sentence instead of a 400. The temperature is required unless the freeze
  // ended with no ice ball, and absent then: decide() names whichever is missing or too much.
  end_freeze: {
    lowestTempC: Type.Optional(Type.Number({ minimum: -273, maximum: 100 })),
    noIceBall: Type.Optional(Type.Boolean()),
    iceBallMm: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    thawMode: Type.Enum(THAW_MODES),
  },
  end_thaw: Empty,
  remove_probe: Empty,
  abort: { reason: Reason },
  apply_dressing: Empty,
  // Wider than plausible on purpose: dose_implausible names the typo instead of a 400.
  record_dose: {
    modality: Type.Enum(DOSE_MODALITIES),
    equipment: Type.String({ minLength: 1, maxLength: 80, pattern: NON_BLANK_PATTERN }),
    dlpMgyCm: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
    ctdiVolMgy: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
    dapGyCm2: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
    fluoroscopySeconds: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  },
  confirm_sign_out: {
    cyclesReviewed: Type.Boolean(),
    complicationsReviewed: Type.Boolean(),
    instructionsHandedOver: Type.Boolean(),
  },
  start_observation: Empty,
  record_vitals: {
    heartRate: Int(20, 250),
    systolic: Int(40, 300),
    diastolic: Int(20, 200),
    spo2: Int(50, 100),
    temperatureC: Type.Optional(Type.Number({ minimum: 30, maximum: 45 })),
    painScore: Type.Optional(Int(0, 10)),
  },
  // Modified Aldrete score, each item 0–2.
  record_aldrete: {
    activity: Int(0, 2),
    respiration: Int(0, 2),
    circulation: Int(0, 2),
    consciousness: Int(0, 2),
    oxygenSaturation: Int(0, 2),
  },
  record_padss: {
    vitalSigns: Int(0, 2),
    activity: Int(0, 2),
    nauseaVomiting: Int(0, 2),
    pain: Int(0, 2),
    bleeding: Int(0, 2),
  },
  override_discharge_score: { reason: Reason },
  record_complication: {
    kind: Type.Enum(COMPLICATION_KINDS),
    grade: Int(1, 6),
    note: Type.Optional(Note),
  },
  record_pain_score: { score: Int(0, 10), moment: Type.Enum(PAIN_MOMENTS) },
  // Booleans, not literal true: a false is refused by a named rule the nurse can read.
  discharge: { escortConfirmed: Type.Boolean(), instructionsGiven: Type.Boolean() },
  cancel: { reason: Type.Enum(CANCEL_REASONS), note: Type.Optional(Note) },
  transfer: { destination: Type.String({ minLength: 1, maxLength: 120, pattern: NON_BLANK_PATTERN }), note: Type.Optional(Note) },
  correct_last: { reason: Reason },
  record_report_conclusion: { conclusion: Type.String({ minLength: 1, maxLength: 4000, pattern: NON_BLANK_PATTERN }) },
  // The text is drafted from the log in this language when the radiologist signs; a new version needs its reason.
  sign_report: { lang: Type.Union([Type.Literal('fr'), Type.Literal('en')]), reason: Type.Optional(Reason) },
} satisfies Record<CommandType, Record<string, TSchema>>;

type Payloads = typeof commandPayloads;
type PayloadOf<K extends CommandType> = Static<TObject<Payloads[K]>>;

// Command = the discriminated union of `{ type, ...payload }`, without transport fields.
// The HTTP body adds `expectedVersion` and optional `occurredAt` (see CommandBody).
export type CommandOf<K extends CommandType> = { type: K } & PayloadOf<K>;
export type Command = { [K in CommandType]: CommandOf<K> }[CommandType];
export type CommandBody = Command & { expectedVersion: number; occurredAt?: string };

function bodySchema(type: CommandType): TSchema {
  return Type.Object(
    {
      type: Type.Literal(type),
      expectedVersion: Int(0, 1_000_000),
      occurredAt: Type.Optional(DateTime),
      ...commandPayloads[type],
    },
    { additionalProperties: false, title: type },
  );
}

// Full request body of POST /api/cases/:id/commands, per command type.
export const commandSchemas = Object.fromEntries(COMMAND_TYPES.map((t) => [t, bodySchema(t)])) as Record<
  CommandType,
  TSchema
>;

// The body for any command, for routes that validate before dispatching on `type`.
export const commandBodySchema = Type.Union(COMMAND_TYPES.map((t) => commandSchemas[t]));
