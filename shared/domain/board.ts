import { alertsFor, clockFacts, type Alert, type ClockFacts } from './alerts';
import type { CommandType } from './command-types';
import { initials } from './initials';
import { nextStep } from './next-actions';
import type { Settings } from './settings';
import type { Stage } from './stages';
import { completeCycles, type CaseState } from './state';

// What a wall screen may show: pseudonymous by construction. Built field by field (never by
// spreading the state) so a new personal field in CaseState cannot leak here by accident.
// It carries the ClockFacts (stage, stageSince, sedated, freeze) so the screen can run clockAlerts.
export interface BoardCase extends ClockFacts {
  id: string;
  label: string;
  stage: Stage;
  // Room the patient is in now; plannedRoomId is where the coordinator expects them.
  roomId: string | null;
  plannedRoomId: string | null;
  scheduledAt: string;
  stageSince: string;
  nextStep: CommandType | null;
  freeze?: { startedAt: string; plannedSeconds: number };
  cycleCount: number;
  // The CIRSE grade of each complication recorded, in order: the grade only, never the kind's note.
  complicationGrades: number[];
  sedated: boolean;
  aborted: boolean;
  alerts: Alert[];
}

export type BoardLabelMode = 'initials' | 'initials_slot';

// Two patients can share initials; the slot time tells them apart without naming anyone.
function slot(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso));
}

export function toBoardCase(state: CaseState, now: string, settings: Settings, labelMode: BoardLabelMode = 'initials'): BoardCase {
  const base = initials(state.patient.firstName, state.patient.lastName);
  const clock = clockFacts(state);
  const board: BoardCase = {
    id: state.id,
    label: labelMode === 'initials_slot' ? `${base} ${slot(state.scheduledAt, settings.timeZone)}` : base,
    stage: clock.stage,
    roomId: state.roomId,
    plannedRoomId: state.plannedRoomId,
    scheduledAt: state.scheduledAt,
    stageSince: clock.stageSince,
    nextStep: nextStep(state, settings),
    cycleCount: completeCycles(state).length,
    complicationGrades: state.complications.map((c) => c.grade),
    sedated: clock.sedated,
    aborted: state.aborted,
    alerts: alertsFor(state, now, settings),
  };
  if (clock.freeze) board.freeze = clock.freeze;
  if (clock.monitoredSince) board.monitoredSince = clock.monitoredSince;
  return board;
}
