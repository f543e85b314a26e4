import Type, { type Static, type TObject, type TSchema } from 'typebox';
import { TargetSchema } from '../domain/commands';
import { DeviceLineSchema, DoseLineSchema } from './devices';
import { FOLLOW_UP_CALLS } from '../domain/follow-up';
import { CANCEL_REASONS, COMPLICATION_KINDS, PAIN_MOMENTS } from '../domain/reasons';
import { STAGES } from '../domain/stages';
import { SIDES, type Target } from '../domain/targets';

// The report answers (/api/reports/day, /api/follow-up) as schemas: the server builds and serialises
// them with these, the screens read the static types, and the OpenAPI document shows them.

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
// Numbers are `number`, never `integer`: the serializer would round a fractional minute away.
const Num = Type.Number();
const NumOrNull = Nullable(Num);
const Instant = Type.String({ description: 'ISO 8601 instant' });
const Day = Type.String({ description: 'Calendar day in the unit’s time zone (YYYY-MM-DD)' });

function keyed<K extends string, T extends TSchema>(keys: readonly K[], value: T): TObject<Record<K, T>> {
  return Type.Object(Object.fromEntries(keys.map((k) => [k, value])) as Record<K, T>);
}

export const DURATION_KEYS = ['arrivalToRoom', 'roomToFirstFreeze', 'procedure', 'observation', 'totalStay'] as const;
export type DurationKey = (typeof DURATION_KEYS)[number];

/** The instants a coordinator reads a case's day by, all from `occurredAt` (back-dated steps count as entered). */
export const MilestonesSchema = Type.Object({
  admittedAt: Nullable(Instant),
  inRoomAt: Nullable(Instant),
  firstFreezeAt: Nullable(Instant),
  probeRemovedAt: Nullable(Instant),
  leftRoomAt: Nullable(Instant),
  observationAt: Nullable(Instant),
  dischargedAt: Nullable(Instant),
});
export type Milestones = Static<typeof MilestonesSchema>;

/** Minutes between milestones; null when either end has not happened (yet). */
export const StageDurationsSchema = keyed(DURATION_KEYS, NumOrNull);
export type StageDurations = Static<typeof StageDurationsSchema>;

export const CaseLineSchema = Type.Object({
  caseId: Type.String(),
  initials: Type.String({ description: 'Initials only: the report is read on shared screens and printed' }),
  scheduledAt: Instant,
  stage: Type.Enum(STAGES),
  roomId: Nullable(Type.String()),
  milestones: MilestonesSchema,
  durations: StageDurationsSchema,
  cycles: Type.Number({ description: 'Freeze cycles, not counting those that ended with no ice ball' }),
  noIceBall: Type.Number({ description: 'Freezes that ended with no ice ball: on record, counted nowhere else' }),
  complications: Num,
  timeOut: Type.Boolean(),
  signOut: Type.Boolean(),
  offPlanTargets: Type.Number({ description: 'Targets added at the probe, outside the plan, each with a reason on record' }),
  localAnestheticMg: NumOrNull,
  maxDosePct: Type.Union([Num, Type.Null()], { description: 'Share of the maximum local anaesthetic dose reached (%); null when none' }),
  devices: Type.Array(DeviceLineSchema, { description: 'Single-use devices recorded for the case, as their labels read' }),
  doses: Type.Array(DoseLineSchema, { description: 'The radiation dose of each CT or cone-beam CT guidance' }),
});
export type CaseLine = Static<typeof CaseLineSchema>;

export const AverageSchema = Type.Object({
  mean: NumOrNull,
  median: NumOrNull,
  n: Type.Number({ description: 'Cases the figure is computed over (those where both ends happened)' }),
});
export type Average = Static<typeof AverageSchema>;

export const RoomLineSchema = Type.Object({
  roomId: Type.String(),
  name: Type.String(),
  patients: Num,
  occupiedMinutes: Num,
  utilisation: Type.Union([Num, Type.Null()], { description: 'Occupied minutes over the day’s activity span, 0..1' }),
  turnovers: Type.Array(NumOrNull, { description: 'Minutes from a patient leaving to the room declared ready; null while still cleaning' }),
  meanTurnover: NumOrNull,
});
export type RoomLine = Static<typeof RoomLineSchema>;

export const TargetLineSchema = Type.Object({
  nerve: Type.String(),
  level: Nullable(Type.String()),
  side: Type.Enum(SIDES),
  cycles: Type.Number({ description: 'Cycles with an ice ball; the freeze time and lowest temperature are theirs' }),
  totalFreezeSeconds: Num,
  lowestTempC: NumOrNull,
  noIceBall: Num,
  running: Type.Number({ description: 'Freezes still running here: neither counted nor timed until they end' }),
  offPlan: Type.Boolean(),
});
export type TargetLine = Static<typeof TargetLineSchema>;

export const DayReportSchema = Type.Object({
  date: Day,
  generatedAt: Instant,
  counts: Type.Object(
    { scheduled: Num, notArrived: Num, discharged: Num, cancelled: Num, transferred: Num, aborted: Num, inProgress: Num },
    { description: 'Every patient of the day is in exactly one of notArrived, inProgress, discharged, cancelled, transferred; `aborted` is "of which"' },
  ),
  cases: Type.Array(CaseLineSchema),
  averages: keyed(DURATION_KEYS, AverageSchema),
  span: Type.Object({ start: Nullable(Instant), end: Nullable(Instant), minutes: NumOrNull }),
  rooms: Type.Array(RoomLineSchema),
  meanTurnover: NumOrNull,
  targets: Type.Array(TargetLineSchema),
  complicationsByGrade: keyed(['1', '2', '3', '4', '5', '6'] as const, Num),
  complicationsByKind: Type.Partial(keyed(COMPLICATION_KINDS, Num)),
  cancellationsByReason: Type.Partial(keyed(CANCEL_REASONS, Num)),
  delaysByReason: Type.Partial(keyed([...CANCEL_REASONS, 'unspecified'] as const, Num), {
    description: 'Reschedules by reason; `unspecified` when the coordinator gave none',
  }),
});
export type DayReport = Static<typeof DayReportSchema>;

const CallMomentSchema = Type.Enum(FOLLOW_UP_CALLS);
const PainMomentSchema = Type.Enum(PAIN_MOMENTS);

export const CALL_STATUSES = ['done', 'due', 'overdue', 'upcoming'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const FollowUpCallSchema = Type.Object({
  moment: CallMomentSchema,
  dueOn: Day,
  status: Type.Enum(CALL_STATUSES),
  score: NumOrNull,
});
export type FollowUpCall = Static<typeof FollowUpCallSchema>;

export const FollowUpPatientSchema = Type.Object({
  caseId: Type.String(),
  version: Type.Integer(),
  patient: Type.Object({ firstName: Type.String(), lastName: Type.String(), mrn: Type.String(), birthDate: Type.String() }),
  escortPhone: Nullable(Type.String()),
  patientPhone: Nullable(Type.String()),
  dischargedOn: Day,
  targets: Type.Array(Type.Unsafe<Target>(TargetSchema)),
  scores: Type.Object(keyed(PAIN_MOMENTS, NumOrNull).properties, {
    description: 'Latest score per moment (a repeated call replaces the previous answer)',
  }),
  calls: Type.Array(FollowUpCallSchema),
  relief: Type.Union(
    [Type.Object({ from: Num, to: Num, moment: PainMomentSchema, points: Num, percent: NumOrNull }), Type.Null()],
    { description: 'Admission score minus the latest later score; positive is relief' },
  ),
});
export type FollowUpPatient = Static<typeof FollowUpPatientSchema>;

export const FollowUpListSchema = Type.Object({
  from: Day,
  to: Day,
  today: Day,
  patients: Type.Array(FollowUpPatientSchema),
  dueToday: Type.Array(
    Type.Object({ caseId: Type.String(), moment: CallMomentSchema, dueOn: Day, status: Type.Union([Type.Literal('due'), Type.Literal('overdue')]) }),
  ),
});
export type FollowUpList = Static<typeof FollowUpListSchema>;
