// The command list lives here alone (no schema imports) so light modules can depend on it.
export const COMMAND_TYPES = [
  'reschedule_case',
  'plan_targets',
  'admit',
  'record_checklist',
  'mark_ready',
  'enter_room',
  'confirm_time_out',
  'give_sedation',
  'give_local_anesthesia',
  'position_probe',
  'record_device',
  'record_stimulation',
  'start_freeze',
  'end_freeze',
  'end_thaw',
  'remove_probe',
  'abort',
  'apply_dressing',
  'record_dose',
  'confirm_sign_out',
  'start_observation',
  'record_vitals',
  'record_aldrete',
  'record_padss',
  'override_discharge_score',
  'record_complication',
  'record_pain_score',
  'discharge',
  'cancel',
  'transfer',
  'correct_last',
  'record_report_conclusion',
  'sign_report',
] as const;

export type CommandType = (typeof COMMAND_TYPES)[number];

// Commands that cannot be taken back: the patient goes home, the day is cancelled, the patient leaves
// for another ward (each closes the case), or the procedure is stopped for good. Screens ask for a
// confirmation before sending them.
export const FINAL_COMMANDS = ['discharge', 'cancel', 'transfer', 'abort'] as const satisfies readonly CommandType[];
export const isFinal = (command: CommandType): boolean => (FINAL_COMMANDS as readonly CommandType[]).includes(command);

// One command, one event: the event is the command's fact, in the past tense.
export const EVENT_OF_COMMAND = {
  reschedule_case: 'CaseRescheduled',
  plan_targets: 'TargetsPlanned',
  admit: 'PatientAdmitted',
  record_checklist: 'ChecklistRecorded',
  mark_ready: 'PatientMarkedReady',
  enter_room: 'RoomEntered',
  confirm_time_out: 'TimeOutConfirmed',
  give_sedation: 'SedationGiven',
  give_local_anesthesia: 'LocalAnesthesiaGiven',
  position_probe: 'ProbePositioned',
  record_device: 'DeviceRecorded',
  record_stimulation: 'StimulationRecorded',
  start_freeze: 'FreezeStarted',
  end_freeze: 'FreezeEnded',
  end_thaw: 'ThawEnded',
  remove_probe: 'ProbeRemoved',
  abort: 'ProcedureAborted',
  apply_dressing: 'DressingApplied',
  record_dose: 'DoseRecorded',
  confirm_sign_out: 'SignOutConfirmed',
  start_observation: 'ObservationStarted',
  record_vitals: 'VitalsRecorded',
  record_aldrete: 'AldreteRecorded',
  record_padss: 'PadssRecorded',
  override_discharge_score: 'DischargeScoreOverridden',
  record_complication: 'ComplicationRecorded',
  record_pain_score: 'PainScoreRecorded',
  discharge: 'PatientDischarged',
  cancel: 'CaseCancelled',
  transfer: 'PatientTransferred',
  correct_last: 'LastCorrected',
  record_report_conclusion: 'ReportConclusionRecorded',
  sign_report: 'ReportSigned',
} as const satisfies Record<CommandType, string>;

// Events no case command makes: the schedule that opens a stream, and the hospital's record of the
// patient changing under it (an interface's demographics update).
export const NON_COMMAND_EVENTS = ['CaseScheduled', 'PatientDemographicsUpdated'] as const;
export type NonCommandEvent = (typeof NON_COMMAND_EVENTS)[number];

export const EVENT_TYPES = [...NON_COMMAND_EVENTS, ...COMMAND_TYPES.map((c) => EVENT_OF_COMMAND[c])] as readonly EventType[];
export type EventType = NonCommandEvent | (typeof EVENT_OF_COMMAND)[CommandType];

export const COMMAND_OF_EVENT = Object.fromEntries(
  COMMAND_TYPES.map((c) => [EVENT_OF_COMMAND[c], c]),
) as Readonly<Record<Exclude<EventType, NonCommandEvent>, CommandType>>;
