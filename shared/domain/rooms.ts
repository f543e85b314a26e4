import type { Actor } from './events';
import type { RoomStatus, RoomView } from './context';
import { canSend } from './roles';
import { reject, type Rejection } from './rules';
import type { CaseState } from './state';

export interface RoomChange {
  roomId: string;
  status: RoomStatus;
  caseId: string | null;
}

// How one case event moves its room along free → occupied → cleaning → free. Derived from the
// case's own `roomId` before and after, so corrections are handled by the same comparison.
export function roomChange(before: CaseState | null, after: CaseState): RoomChange | null {
  const was = before?.roomId ?? null;
  const is = after.roomId;
  if (was === is) return null;
  if (is !== null) return { roomId: is, status: 'occupied', caseId: after.id };
  if (was === null) return null;
  // Leaving with no procedure on record means enter_room itself was corrected: nothing to clean.
  const undoneEntry = after.procedureRoomId === null;
  return { roomId: was, status: undoneEntry ? 'free' : 'cleaning', caseId: null };
}

export type RoomDecision = { ok: true; room: RoomView } | { ok: false; rejection: Rejection };

// room_ready: a nurse declares a cleaned room free again.
export function decideRoomReady(room: RoomView, actor: Actor): RoomDecision {
  if (!canSend(actor.role, 'room_ready'))
    return { ok: false, rejection: reject('role_not_allowed', { role: actor.role }, 'forbidden') };
  if (room.status !== 'cleaning') return { ok: false, rejection: reject('room_not_cleaning', { room: room.name }) };
  return { ok: true, room: { ...room, status: 'free', caseId: null } };
}
