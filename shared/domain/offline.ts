import type { CommandType } from './command-types';

// What a tablet may record at the bedside while the Wi-Fi is down, to be sent once it is back: the
// steps a nurse or a radiologist takes at the patient's side. Scheduling, the report, a dose (checked
// against the unit's machine list, which only the server holds) and a correction (of a step the
// server may not have yet) wait for the network.
export const OFFLINE_COMMANDS = [
  'admit',
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
  'apply_dressing',
  'confirm_sign_out',
  'start_observation',
  'record_vitals',
  'record_aldrete',
  'record_padss',
  'record_complication',
  'record_pain_score',
  'discharge',
] as const satisfies readonly CommandType[];

export const worksOffline = (type: CommandType): boolean => (OFFLINE_COMMANDS as readonly CommandType[]).includes(type);
