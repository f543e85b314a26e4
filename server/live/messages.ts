import { toBoardCase, type CaseState, type EventMessage, type Room, type Settings, type StaffEvent } from '../../shared';
import type { StoredEvent } from '../../db/event-store';
import type { Publication } from './hub';

export type LabelMode = 'initials' | 'initials_slot';

export interface BoardView {
  now: string;
  settings: Settings;
  labelMode: LabelMode;
}

function staffEvent({ event, version }: StoredEvent): StaffEvent {
  if (event.type === 'RoomReady') return { ...event, version: null };
  return { ...event, version: version ?? 0 };
}

/**
 * One committed event shaped for both audiences. Boards get the event's type and time only: its data may
 * hold an escort's name or free text, and the board must never receive anything that names a patient.
 */
export function publication(stored: StoredEvent, state: CaseState | null, rooms: Room[] | null, view: BoardView): Publication {
  const common = { type: 'event', seq: stored.seq, caseId: stored.caseId, ...(stored.roomId ? { roomId: stored.roomId } : {}) } as const;
  const withRooms = rooms ? { rooms } : {};
  const staff: EventMessage<'staff'> = { ...common, event: staffEvent(stored), ...(state ? { case: state } : {}), ...withRooms };
  const board: EventMessage<'board'> = {
    ...common,
    event: { type: stored.event.type, occurredAt: stored.event.occurredAt },
    ...(state ? { case: toBoardCase(state, view.now, view.settings, view.labelMode) } : {}),
    ...withRooms,
  };
  return { seq: stored.seq, stored, state, staff, board };
}
