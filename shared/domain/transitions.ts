import type { CommandType } from './command-types';
import { STAGES, TERMINAL_STAGES, type Stage } from './stages';

// The machine as data (XState-style): which command is accepted in which stage and where it may
// lead. decide() checks membership, evolve() must land on one of the listed targets (a property test
// holds it to that), and the diagram in docs/ is drawn from this very table.
// `flow` edges move the case along and appear on the diagram; `side` edges record something
// without moving the case and are listed in the diagram's legend instead.
export interface Transition {
  from: Stage;
  command: CommandType;
  to: Stage;
  kind: 'flow' | 'side';
  // Short English condition, for the diagram only, when one command can lead to several stages.
  when?: string;
}

const ACTIVE: readonly Stage[] = STAGES.filter((s) => !TERMINAL_STAGES.includes(s));
const PROCEDURE: readonly Stage[] = ['in_room', 'local_anesthesia', 'probe_placement', 'freezing', 'thawing'];

const flow = (from: Stage, command: CommandType, to: Stage, when?: string): Transition =>
  when === undefined ? { from, command, to, kind: 'flow' } : { from, command, to, kind: 'flow', when };
const side = (command: CommandType, stages: readonly Stage[]): Transition[] =>
  stages.map((s) => ({ from: s, command, to: s, kind: 'side' }));

export const TRANSITIONS: readonly Transition[] = [
  flow('scheduled', 'admit', 'admitted'),
  flow('admitted', 'mark_ready', 'ready'),
  flow('ready', 'record_checklist', 'admitted', 'checklist no longer complete'),
  flow('ready', 'enter_room', 'in_room'),
  flow('in_room', 'give_local_anesthesia', 'local_anesthesia'),
  flow('local_anesthesia', 'position_probe', 'probe_placement'),
  flow('probe_placement', 'position_probe', 'probe_placement', 'next target'),
  flow('probe_placement', 'start_freeze', 'freezing'),
  flow('freezing', 'end_freeze', 'thawing'),
  flow('thawing', 'end_thaw', 'probe_placement', 'probe idle'),
  flow('probe_placement', 'remove_probe', 'probe_removed'),
  flow('in_room', 'abort', 'probe_removed', 'no probe in place'),
  flow('local_anesthesia', 'abort', 'probe_removed', 'no probe in place'),
  flow('probe_removed', 'apply_dressing', 'dressing'),
  flow('dressing', 'start_observation', 'observation'),
  flow('observation', 'discharge', 'discharged'),
  ...(['scheduled', 'admitted', 'ready'] as const).map((s) => flow(s, 'cancel', 'cancelled')),
  ...(['in_room', 'local_anesthesia', 'probe_removed', 'dressing', 'observation'] as const).map((s) =>
    flow(s, 'transfer', 'transferred'),
  ),
  ...side('reschedule_case', ['scheduled', 'admitted', 'ready']),
  ...side('record_checklist', ['admitted', 'ready']),
  // In the room the checklist takes only the weight the anaesthetic maximum needs (checklist_closed).
  ...side('record_checklist', ['in_room']),
  // The time-out comes just before the first puncture, the sign-out before the patient leaves the room.
  ...side('confirm_time_out', ['in_room']),
  ...side('confirm_sign_out', ['dressing']),
  ...side('give_local_anesthesia', ['local_anesthesia', 'probe_placement']),
  ...side('give_sedation', PROCEDURE),
  ...side('abort', ['probe_placement', 'freezing', 'thawing']),
  ...side('record_stimulation', ['probe_placement']),
  ...side('record_aldrete', ['observation']),
  ...side('record_padss', ['observation']),
  ...side('override_discharge_score', ['observation']),
  ...side('record_vitals', ACTIVE),
  ...side('record_complication', ACTIVE),
  // Follow-up calls (day 1, month 1, month 3) come after discharge: pain scores outlive the case.
  ...side('record_pain_score', STAGES),
  // Never from a terminal stage: a closed case does not reopen, whatever closed it.
  ...side('correct_last', ACTIVE),
];

export const isAllowedIn = (stage: Stage, command: CommandType): boolean =>
  TRANSITIONS.some((t) => t.from === stage && t.command === command);

export const targetsOf = (stage: Stage, command: CommandType): Stage[] =>
  TRANSITIONS.filter((t) => t.from === stage && t.command === command).map((t) => t.to);

export const commandsAllowedIn = (stage: Stage): CommandType[] => [
  ...new Set(TRANSITIONS.filter((t) => t.from === stage).map((t) => t.command)),
];
