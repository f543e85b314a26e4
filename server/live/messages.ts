import { toBoardCase, type CaseState, type RoomView, type Settings } from '../../shared';
import type { StoredEvent } from '../../db/event-store';
import type { Publication } from './hub';

export type LabelMode = 'initials' | 'initials_slot';

export interface BoardView {
  now: string;
  settings: Settings;
  labelMode: LabelMode;
}

/**
 * One committed event shaped for both audiences. Boards get the event's type and time only: its data may
 * hold an escort's name or free text, and the board must never receive anything that names a patient.
 */
export function publication(stored: StoredEvent, state: CaseState | null, rooms: RoomView[] | null, view: BoardView): Publication {
  const common = { type: 'event', seq: stored.seq, caseId: stored.caseId, ...(stored.roomId ? { roomId: stored.roomId } : {}) };
  const withRooms = rooms ? { rooms } : {};
  return {
    seq: stored.seq,
    stored,
    state,
    staff: { ...common, event: { ...stored.event, version: stored.version }, ...(state ? { case: state } : {}), ...withRooms },
    board: {
      ...common,
      event: { type: stored.event.type, occurredAt: stored.event.occurredAt },
      ...(state ? { case: toBoardCase(state, view.now, view.settings, view.labelMode) } : {}),
      ...withRooms,
    },
  };
}
