import Type, { type Static, type TSchema } from 'typebox';
import { DEVICE_KINDS } from '../domain/devices';
import { DOSE_MODALITIES } from '../domain/dose';
import { STAGES } from '../domain/stages';

// Device traceability and radiation dose on the wire: the day report's lines, the recall search,
// the dose report and the unit's machines.

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const NumOrNull = Nullable(Type.Number());
const StrOrNull = Nullable(Type.String());
const Instant = Type.String({ description: 'ISO 8601 instant' });
const Day = Type.String({ description: 'Calendar day in the unit’s time zone (YYYY-MM-DD)' });

/** A single-use device recorded for a case, as its label reads (what a recall asks for). */
export const DeviceLineSchema = Type.Object({
  kind: Type.Enum(DEVICE_KINDS),
  gtin: StrOrNull,
  lot: StrOrNull,
  serial: StrOrNull,
  expiry: Nullable(Type.String({ description: 'YYYY-MM-DD' })),
});
export type DeviceLine = Static<typeof DeviceLineSchema>;

/** The radiation dose of one CT or cone-beam CT guidance, as the console showed it. */
export const DoseLineSchema = Type.Object({
  modality: Type.Enum(DOSE_MODALITIES),
  equipment: Type.String(),
  dlpMgyCm: NumOrNull,
  ctdiVolMgy: NumOrNull,
  dapGyCm2: NumOrNull,
  fluoroscopySeconds: NumOrNull,
});
export type DoseLine = Static<typeof DoseLineSchema>;

/** GET /api/devices/cases: every device of that lot or GTIN and the patient who received it. */
export const RecallAnswerSchema = Type.Object({
  lot: StrOrNull,
  gtin: StrOrNull,
  cases: Type.Array(
    Type.Object({
      caseId: Type.String(),
      day: Day,
      scheduledAt: Instant,
      stage: Type.Enum(STAGES),
      at: Type.String({ description: 'When the device was recorded (the act)' }),
      kind: Type.Enum(DEVICE_KINDS),
      gtin: StrOrNull,
      lot: StrOrNull,
      serial: StrOrNull,
      expiry: StrOrNull,
      patient: Type.Object({ firstName: Type.String(), lastName: Type.String(), mrn: Type.String(), birthDate: Type.String() }),
    }),
  ),
});
export type RecallAnswer = Static<typeof RecallAnswerSchema>;
export type RecallHit = RecallAnswer['cases'][number];

const Figures = Type.Object({
  dlpMgyCm: Type.Optional(Type.Number()),
  ctdiVolMgy: Type.Optional(Type.Number()),
  dapGyCm2: Type.Optional(Type.Number()),
  fluoroscopySeconds: Type.Optional(Type.Number()),
});
const Spread = Type.Object({ n: Type.Number(), median: NumOrNull, p75: NumOrNull });

/** GET /api/reports/doses: each guided act's dose, and per month the median and 75th percentile of each figure. */
export const DoseReportSchema = Type.Object({
  from: Day,
  to: Day,
  acts: Type.Array(
    Type.Object({
      caseId: Type.String(),
      day: Day,
      initials: Type.String({ description: 'Initials only: the report is read on shared screens' }),
      modality: Type.Enum(DOSE_MODALITIES),
      equipment: Type.String(),
      at: Instant,
      figures: Figures,
    }),
  ),
  months: Type.Array(
    Type.Object({
      month: Type.String({ description: 'YYYY-MM' }),
      modality: Type.Enum(DOSE_MODALITIES),
      acts: Type.Number(),
      figures: Type.Object({
        dlpMgyCm: Type.Optional(Spread),
        ctdiVolMgy: Type.Optional(Spread),
        dapGyCm2: Type.Optional(Spread),
        fluoroscopySeconds: Type.Optional(Spread),
      }),
    }),
  ),
});
export type DoseReport = Static<typeof DoseReportSchema>;

/** A machine of the rooms, as an admin lists it (PUT /api/admin/unit/equipment validates with it). */
export const EquipmentSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80, pattern: '^\\s*\\S[\\s\\S]*$', description: 'As the dose report names it (make, model, room)' }),
    modality: Type.Enum(DOSE_MODALITIES),
    roomId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export const EquipmentRecordSchema = Type.Object({
  machines: Type.Array(EquipmentSchema),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
  updatedBy: StrOrNull,
});
export type EquipmentRecord = Static<typeof EquipmentRecordSchema>;

const Actor = Type.Object({ id: Type.String(), name: Type.String(), role: Type.String() });
const Signature = Type.Object({
  version: Type.Number(),
  at: Instant,
  by: Actor,
  lang: Type.Union([Type.Literal('fr'), Type.Literal('en')]),
  text: Type.String({ description: 'The text as signed, frozen' }),
  reason: Type.Optional(Type.String({ description: 'Why this version replaces the one before' })),
});

/** GET /api/cases/:id/report: the draft from the log, the conclusion, every signed version. */
export const ProcedureReportSchema = Type.Object({
  caseId: Type.String(),
  version: Type.Number({ description: 'The case version the draft was made from' }),
  stage: Type.Enum(STAGES),
  lang: Type.Union([Type.Literal('fr'), Type.Literal('en')]),
  draft: Type.Object({ title: Type.String(), sections: Type.Array(Type.Object({ title: Type.String(), lines: Type.Array(Type.String()) })) }),
  text: Type.String({ description: 'The draft as one plain text' }),
  conclusion: StrOrNull,
  signed: Nullable(Signature),
  changedSinceSigned: Type.Boolean({ description: 'The log now says something the last signed text does not' }),
  signatures: Type.Array(Signature),
});
export type ProcedureReport = Static<typeof ProcedureReportSchema>;
