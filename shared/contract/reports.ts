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

// The range report (/api/reports/range): docs/reports.md defines every figure (what counts, which instants).

/** A duration's spread over the acts that have both ends: median and 90th percentile (linear interpolation). */
export const SpreadSchema = Type.Object({ n: Num, median: NumOrNull, p90: NumOrNull });
export type Spread = Static<typeof SpreadSchema>;

const PerActSchema = Type.Object({ total: Num, mean: NumOrNull, median: NumOrNull });
const RatedSchema = Type.Object({ count: Num, per100: Type.Union([Num, Type.Null()], { description: 'Per 100 acts performed' }) });

/** The pain moments a unit reports by: the score before the procedure, then each follow-up call's. */
export const RANGE_PAIN_MOMENTS = ['admission', ...FOLLOW_UP_CALLS] as const;
export type RangePainMoment = (typeof RANGE_PAIN_MOMENTS)[number];

export const PainFigureSchema = Type.Object({ n: Num, mean: NumOrNull, median: NumOrNull });

export const IndicationPainSchema = Type.Object({
  indication: Type.String({ description: 'A planned nerve (a TARGET_NERVES code, or the nerve as typed)' }),
  acts: Num,
  moments: keyed(RANGE_PAIN_MOMENTS, PainFigureSchema),
});
export type IndicationPain = Static<typeof IndicationPainSchema>;

export const RangeFiguresSchema = Type.Object({
  scheduled: Type.Number({ description: 'Cases booked on the period’s days' }),
  performed: Type.Number({ description: 'Acts performed: the patient entered a procedure room' }),
  aborted: Type.Number({ description: 'Of the acts performed, those stopped early' }),
  cancelled: Num,
  cancellationsByReason: Type.Partial(keyed(CANCEL_REASONS, Num)),
  transferred: Num,
  targetsPerAct: PerActSchema,
  cyclesPerAct: PerActSchema,
  stages: keyed(DURATION_KEYS, SpreadSchema),
  turnover: SpreadSchema,
  punctuality: Type.Object({
    n: Num,
    median: NumOrNull,
    p90: NumOrNull,
    onTime: Type.Number({ description: 'Acts into the room at most onTimeMinutes after the time booked' }),
    onTimeRate: Type.Union([Num, Type.Null()], { description: '0..1' }),
  }),
  complications: Type.Object({
    total: Num,
    acts: Type.Number({ description: 'Acts with at least one complication' }),
    per100: NumOrNull,
    byGrade: keyed(['1', '2', '3', '4', '5', '6'] as const, RatedSchema),
    byKind: Type.Partial(keyed(COMPLICATION_KINDS, RatedSchema)),
  }),
  sedation: Type.Object({ sedated: Num, rate: Type.Union([Num, Type.Null()], { description: '0..1 of the acts performed' }) }),
  pain: Type.Array(IndicationPainSchema),
});
export type RangeFigures = Static<typeof RangeFiguresSchema>;

export const RangeBucketSchema = Type.Object({
  key: Type.String({ description: '2026-03-29 (day), 2026-W13 (ISO week) or 2026-03 (month)' }),
  from: Day,
  to: Day,
  figures: RangeFiguresSchema,
});
export type RangeBucket = Static<typeof RangeBucketSchema>;

export const RangeReportSchema = Type.Object({
  from: Day,
  to: Day,
  groupBy: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]),
  timeZone: Type.String(),
  generatedAt: Instant,
  onTimeMinutes: Type.Number({ description: 'The delay after the time booked still read as on time' }),
  buckets: Type.Array(RangeBucketSchema, { description: 'Every period of the range in order, empty ones included, each cut to the range' }),
  total: RangeFiguresSchema,
});
export type RangeReport = Static<typeof RangeReportSchema>;
