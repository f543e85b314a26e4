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
export const TERMINAL_STAGES: readonly Stage[] = ['discharged', 'cancelled', 'transferred'];

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

export const isTerminal = (stage: Stage): boolean => TERMINAL_STAGES.includes(stage);
