// Public API of the shared domain: the server and the web import from here only.
export {
  STAGES,
  TERMINAL_STAGES,
  IN_ROOM_STAGES,
  ACTIVE_STAGES,
  ADMISSION_STAGES,
  CHECKLIST_STAGES,
  PROCEDURE_STAGES,
  BEFORE_PROBE_STAGES,
  FROZEN_STAGES,
  TRANSFER_STAGES,
  SHEET_STAGES,
  SEDATION_WATCH_STAGES,
  isTerminal,
  inStages,
  boardLaneOf,
  type BoardLane,
  type TerminalStage,
  type Stage,
} from './domain/stages';
export {
  COMMAND_TYPES,
  EVENT_TYPES,
  EVENT_OF_COMMAND,
  COMMAND_OF_EVENT,
  NON_COMMAND_EVENTS,
  FINAL_COMMANDS,
  isFinal,
  type CommandType,
  type EventType,
} from './domain/command-types';
export {
  commandSchemas,
  commandPayloads,
  commandBodySchema,
  scheduleCaseBody,
  AppointmentSchema,
  PatientSchema,
  TargetSchema,
  DateTime as DateTimeSchema,
  type Command,
  type CommandOf,
  type CommandBody,
  type ScheduleCaseBody,
} from './domain/commands';
export type { Actor, CaseEvent, EventOf, EventDataMap, DemographicsUpdate } from './domain/events';
export {
  EMPTY_CHECKLIST,
  NO_PROBE,
  stageSince,
  completeCycles,
  madeIceBall,
  currentCycle,
  caseTargets,
  recordedDoses,
  caseDevices,
  caseDoses,
  caseGuidances,
  type DoseRecord,
  type CaseState,
  type DeviceUse,
  type Allergies,
  type TimeOutRecord,
  type SignOutRecord,
  type AldreteRecord,
  type LocalAnesthesiaRecord,
  type OffPlanTarget,
  type Patient,
  type Checklist,
  type DrugDeclaration,
  type ProbeState,
  type ProbeStatus,
  type ProbeSpec,
  type FreezeCycle,
  type VitalsRecord,
  type PadssRecord,
} from './domain/state';
export type { DecideContext, Decision, RoomView, RoomStatus } from './domain/context';
export { ROOM_STATUSES } from './domain/context';
export { decide } from './domain/decide';
export { createCase, samePatient, type CreateCaseContext, type PatientIdentity } from './domain/create-case';
export { otherPatient, updateDemographics } from './domain/demographics';
export { SYSTEM_ACTORS, isSystemActor, type SystemActorKey } from './domain/system-actors';
export { evolve, fold } from './domain/evolve';
export { PROJECTION_VERSION, statesAfter } from './domain/projection';
export {
  RULE_NAMES,
  reject,
  readinessBlockers,
  targetsRejection,
  dischargeBlockers,
  freezeBlockers,
  probeRemovalBlockers,
  timeOutRejection,
  localAnesthesiaRejection,
  anesthesiaDoseCheck,
  sedationRejection,
  probeTargetRejection,
  signOutRejection,
  deviceRejection,
  vitalsRejection,
  freezeEndRejection,
  allergiesRejection,
  type RuleName,
  type RuleParams,
  type Rejection,
  type RejectionCode,
} from './domain/rules';
export { TRANSITIONS, isAllowedIn, targetsOf, commandsAllowedIn, type Transition } from './domain/transitions';
export {
  MACHINE,
  OTHER_PERMISSIONS,
  can,
  stageRejection,
  stagesOf,
  type CommandSpec,
  type Guard,
  type GuardInput,
  type MachineContext,
  type Move,
  type Sent,
  type Verdict,
} from './domain/machine';
export { addDays, dayOf, dayStart, instantOfWallClock, nearestWallTime, utcInstant, wallTimeToIso, zoneOffsetMs } from './domain/time';
export { ROLES, ROLE_PERMISSIONS, PATIENT_DATA_READERS, RANGE_REPORT_READERS, BOOKING_SENDERS, INTERFACE_WATCHERS, isInterfacePath, canSend, type Role, type PermissionType } from './domain/roles';
export {
  MIN_PASSWORD_LENGTH,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_SCORE,
  USERNAME_PATTERN,
  ACCOUNT_AUDIT_ACTIONS,
  CLI_ACTOR,
  displayNameKey,
  displayNameTaken,
  type AccountAuditAction,
  type AccountAuditEntry,
  type SignedInUser,
} from './domain/accounts';
export {
  ALERT_CODES,
  ALERT_SEVERITIES,
  ALERT_SEVERITY,
  ALERT_THRESHOLDS,
  bySeverity,
  worstSeverity,
  roomAlerts,
  alertsFor,
  clockAlerts,
  clockFacts,
  type Alert,
  type AlertCode,
  type AlertSeverity,
  type ClockFacts,
} from './domain/alerts';
export {
  VITAL_RANGES,
  MIN_PADSS,
  MIN_ALDRETE,
  MIN_FREEZE_SECONDS,
  FREEZE_TEMP_RANGE,
  EXPECTED_FREEZE_TEMP_RANGE,
  freezeTempUnexpected,
  vitalsInRange,
  vitalsPlausible,
  type VitalSigns,
} from './domain/vitals';
export { PAIN_SCALE, SCORE_CRITERIA, SCORE_CRITERION_MAX, SCORE_MAX, MAX_RANGE_DAYS, ON_TIME_MINUTES } from './domain/limits';
export { GROUP_BYS, PERIOD_PRESETS, isoWeek, monthEnd, monthStart, periodKey, periodsOf, presetRange, shiftDays, type GroupBy, type Period, type PeriodPreset } from './domain/periods';
export {
  LOCAL_ANESTHETIC_AGENTS,
  LOCAL_ANESTHETIC_MAXIMUMS,
  LOCAL_ANESTHETIC_SOURCE,
  LOCAL_ANESTHETIC_CLASS,
  DOSE_WARNING_FRACTION,
  anestheticMg,
  maxDoseMg,
  doseFraction,
  doseCheck,
  type LocalAnestheticAgent,
  type AnestheticDose,
  type DoseMaximum,
  type DoseCheck,
  type DoseLevel,
} from './domain/anesthetics';
export { ALLERGENS, allergyConflict, anestheticAllergen, sedationAllergen, sedationAllergyOnFile, type Allergen } from './domain/allergens';
export { nextActions, nextStep, blockers, type NextActions } from './domain/next-actions';
export { roomChange, decideRoomReady, type RoomChange, type RoomDecision } from './domain/rooms';
export { toBoardCase, type BoardCase, type BoardLabelMode } from './domain/board';
export { initials } from './domain/initials';
export { PADSS_ITEMS, ALDRETE_ITEMS, scoreTotal, padssTotal, aldreteTotal, type PadssItem, type AldreteItem } from './domain/scores';
export { FOLLOW_UP_CALLS, FOLLOW_UP_PROTOCOL, RELIEF_MOMENTS, type CallMoment, type CallSchedule } from './domain/follow-up';
export { DEFAULT_SETTINGS, requiredObservationMinutes, type Settings } from './domain/settings';
export { checklistGaps, mergeChecklist, hasEscort, hasPositiveContraindication } from './domain/checklist';
export {
  TARGET_NERVES,
  SIDES,
  GUIDANCES,
  GASES,
  THAW_MODES,
  STIMULATION_RESULTS,
  sameTarget,
  isKnownNerve,
  missingSides,
  probeSites,
  targetProgress,
  countsTowards,
  untreatedTargets,
  sameTargetSet,
  targetFit,
  type TargetFit,
  type TargetProgress,
  type Target,
  type KnownNerve,
  type Side,
  type Guidance,
  type Gas,
  type ThawMode,
  type StimulationResult,
} from './domain/targets';
export { readTarget, readTargets } from './domain/target-text';
export {
  CANCEL_REASONS,
  DELAY_REASONS,
  COMPLICATION_KINDS,
  PAIN_MOMENTS,
  SEXES,
  CONTRAINDICATIONS,
  SCREENING_RESULTS,
  type CancelReason,
  type ComplicationKind,
  type PainMoment,
  type Sex,
  type Contraindication,
  type ScreeningResult,
} from './domain/reasons';
export { SEDATION_SUGGESTIONS, PROBE_TYPE_SUGGESTIONS } from './domain/suggestions';
export { stateMachineMermaid, stateMachineMarkdown } from './domain/diagram';
export { CIRSE_GRADES, isCirseGrade, type CirseGrade } from './domain/cirse';
export {
  t, translate, ruleText, targetLabel, describeTarget, targetParts, describeCirseGrade, labelKeys, LANGS,
  type Lang, type Message, type Params,
} from './i18n/labels';
export { FIELD_NAMES, UI_KEYS, type LabelKey, type FieldName } from './i18n/keys';
export { DISCHARGE_INSTRUCTIONS } from './i18n/discharge-instructions';
export {
  UNIT_IDENTITY_FIELDS,
  UNIT_IDENTITY_MAX_LENGTH,
  unitIdentityGaps,
  type UnitIdentity,
  type UnitIdentityField,
  type UnitIdentityRecord,
  type UnitIdentityChange,
} from './domain/unit-identity';
export { PAIN_MOMENT_OF_STAGE, stageAt, painMomentOfVitals, painScoresOf, latestPainScore, type PainScore } from './domain/pain';
export { reopenedFreezeEnd } from './domain/reopened-freeze';
export * from './contract';
export { GS, parseUdi, gs1CheckDigit, gs1Date, normaliseGtin, gtinCheckDigitValid, type UdiFields, type UdiResult, type UdiError } from './domain/udi';
export {
  DEVICE_KINDS,
  RECALL_SEARCHERS,
  readDevice,
  recordedDevice,
  isExpiredOn,
  sameDevice,
  type DeviceKind,
  type DeviceInput,
  type RecordedDevice,
  type DeviceReading,
  type DeviceError,
} from './domain/devices';
export { DeviceSchema } from './domain/commands';
export {
  DOSE_MODALITIES,
  DOSE_RANGES,
  DOSE_FIELDS_OF,
  isDoseModality,
  quantile,
  type DoseModality,
  type DoseField,
  type DoseFigures,
  type Equipment,
} from './domain/dose';
export { missingDoses, doseRejection, doseRequiredRejection } from './domain/rules';
export { draftReport, reportText, reportOf, NO_REPORT, type ReportDraft, type ReportSection, type ReportSignature, type ReportRecord } from './domain/procedure-report';
export { decodeCsv, detectDelimiter, parseCsv, type Charset, type CsvLine, type Delimiter } from './import/csv';
export { readScheduleFile, fieldParam, SCHEDULE_COLUMNS, REQUIRED_COLUMNS, MAX_IMPORT_ROWS, type FileRow, type ScheduleColumn } from './import/schedule-csv';
export { OFFLINE_COMMANDS, worksOffline } from './domain/offline';
