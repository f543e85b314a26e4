import type { CommandOf, ScheduleCaseBody } from './commands';
import type { CommandType, EventType } from './command-types';
import type { RecordedDevice } from './devices';
import type { Role } from './roles';
import type { Patient } from './state';
import type { Target } from './targets';

export interface Actor {
  id: string;
  name: string;
  role: Role;
}

// A command's event carries the command's payload unchanged (minus `type`), so the timeline can
// show exactly what was entered.
type PayloadData<K extends CommandType> = Omit<CommandOf<K>, 'type'>;

export interface EventDataMap {
  CaseScheduled: ScheduleCaseBody & { caseId: string };
  CaseRescheduled: PayloadData<'reschedule_case'>;
  // The targets as they were too, so the timeline says what changed without refolding the case.
  TargetsPlanned: PayloadData<'plan_targets'> & { previousTargets: Target[] };
  // The identity as the hospital's record now holds it, and as the case held it before (the timeline's history).
  PatientDemographicsUpdated: { patient: DemographicsUpdate; previous: DemographicsUpdate };
  PatientAdmitted: PayloadData<'admit'>;
  ChecklistRecorded: PayloadData<'record_checklist'>;
  PatientMarkedReady: PayloadData<'mark_ready'>;
  RoomEntered: PayloadData<'enter_room'>;
  TimeOutConfirmed: PayloadData<'confirm_time_out'>;
  SedationGiven: PayloadData<'give_sedation'>;
  LocalAnesthesiaGiven: PayloadData<'give_local_anesthesia'>;
  // The device as read from its scan or label (decide() reads it once, so the log needs no parser).
  ProbePositioned: Omit<PayloadData<'position_probe'>, 'device'> & { device?: RecordedDevice };
  DeviceRecorded: Omit<PayloadData<'record_device'>, 'device'> & { device: RecordedDevice };
  StimulationRecorded: PayloadData<'record_stimulation'>;
  FreezeStarted: PayloadData<'start_freeze'>;
  FreezeEnded: PayloadData<'end_freeze'>;
  ThawEnded: PayloadData<'end_thaw'>;
  ProbeRemoved: PayloadData<'remove_probe'>;
  ProcedureAborted: PayloadData<'abort'>;
  DressingApplied: PayloadData<'apply_dressing'>;
  DoseRecorded: PayloadData<'record_dose'>;
  SignOutConfirmed: PayloadData<'confirm_sign_out'>;
  ObservationStarted: PayloadData<'start_observation'>;
  VitalsRecorded: PayloadData<'record_vitals'>;
  AldreteRecorded: PayloadData<'record_aldrete'>;
  PadssRecorded: PayloadData<'record_padss'>;
  DischargeScoreOverridden: PayloadData<'override_discharge_score'>;
  ComplicationRecorded: PayloadData<'record_complication'>;
  PainScoreRecorded: PayloadData<'record_pain_score'>;
  PatientDischarged: PayloadData<'discharge'>;
  CaseCancelled: PayloadData<'cancel'>;
  PatientTransferred: PayloadData<'transfer'>;
  // correctedType names the event whose effect is reverted; the reverted event itself stays in the log.
  LastCorrected: PayloadData<'correct_last'> & { correctedType: EventType };
  ReportConclusionRecorded: PayloadData<'record_report_conclusion'>;
  // The text as signed, frozen in the log: a later draft never changes it.
  ReportSigned: PayloadData<'sign_report'> & { text: string; version: number };
}

export type DemographicsUpdate = Pick<Patient, 'firstName' | 'lastName' | 'birthDate' | 'sex'>;

// occurredAt: when it happened (back-dated by the user, else the server clock) — all clinical
// durations use it. recordedAt: the server clock when the command was accepted, for the audit trail.
export type CaseEvent = {
  [K in EventType]: { type: K; occurredAt: string; recordedAt: string; actor: Actor; data: EventDataMap[K] };
}[EventType];

export type EventOf<K extends EventType> = Extract<CaseEvent, { type: K }>;
