// The stages of one patient's procedure day, in the order a case normally walks through them.
export const STAGES = [
  'scheduled',
  'admitted',
  'ready',
  'in_room',
  'local_anesthesia',
  'probe_placement',
  'freezing',
  'thawing',
  'probe_removed',
  'dressing',
  'observation',
  'discharged',
  'cancelled',
  'transferred',
] as const;

export type Stage = (typeof STAGES)[number];

// A case in a terminal stage accepts nothing but follow-up pain scores: it never reopens.
// The day report counts these as the day's three ends.
export type TerminalStage = 'discharged' | 'cancelled' | 'transferred';
export const TERMINAL_STAGES: readonly Stage[] = ['discharged', 'cancelled', 'transferred'] satisfies readonly TerminalStage[];

// Stages where the patient physically occupies the procedure room (the room board depends on it).
export const IN_ROOM_STAGES: readonly Stage[] = [
  'in_room',
  'local_anesthesia',
  'probe_placement',
  'freezing',
  'thawing',
  'probe_removed',
  'dressing',
];

// A sedated patient here is monitored continuously: in the room, then in observation.
export const SEDATION_WATCH_STAGES: readonly Stage[] = [...IN_ROOM_STAGES, 'observation'];

export const isTerminal = (stage: Stage): stage is TerminalStage => TERMINAL_STAGES.includes(stage);

// The named groups of stages that the machine, the screens and the reports share. Each is the one
// place its list is written: a new stage is placed in each group here, and nowhere else.

// Open cases: everything but the three ends.
export const ACTIVE_STAGES: readonly Stage[] = STAGES.filter((s) => !isTerminal(s));

// Before the procedure room: the case may still be rescheduled or cancelled, and the wall board
// shows it in the admission lane.
export const ADMISSION_STAGES: readonly Stage[] = ['scheduled', 'admitted', 'ready'];

// Where the readiness checklist is filled in (in the room it takes only the weight).
export const CHECKLIST_STAGES: readonly Stage[] = ['admitted', 'ready'];

// From the room's door to the probe's removal: sedation may be given throughout.
export const PROCEDURE_STAGES: readonly Stage[] = ['in_room', 'local_anesthesia', 'probe_placement', 'freezing', 'thawing'];

// No probe yet: the room is entered, the anaesthetic maybe given.
export const BEFORE_PROBE_STAGES: readonly Stage[] = ['in_room', 'local_anesthesia'];

// A cycle is running: the probe is frozen in place, and the screen shows the running cycle.
export const FROZEN_STAGES: readonly Stage[] = ['freezing', 'thawing'];

// Where a patient may leave for another ward: never with a probe in place.
export const TRANSFER_STAGES: readonly Stage[] = ['in_room', 'local_anesthesia', 'probe_removed', 'dressing', 'observation'];

// When the discharge sheet may be printed: from observation (prepared ahead) to the discharge itself.
export const SHEET_STAGES: readonly Stage[] = ['observation', 'discharged'];

export const inStages = (stage: Stage, group: readonly Stage[]): boolean => group.includes(stage);

// Where the wall board shows a patient who is not in a room: waiting for it, observed after it, or
// done for the day. (A patient in a room is shown in that room, whatever the stage.)
export type BoardLane = 'admission' | 'observation' | 'done';

export const boardLaneOf = (stage: Stage): BoardLane =>
  isTerminal(stage) ? 'done' : ADMISSION_STAGES.includes(stage) ? 'admission' : 'observation';
