import type { Equipment } from './dose';
import type { CaseEvent, Actor } from './events';
import type { Rejection } from './rules';
import type { Settings } from './settings';

export const ROOM_STATUSES = ['free', 'occupied', 'cleaning'] as const;
export type RoomStatus = (typeof ROOM_STATUSES)[number];

export interface RoomView {
  id: string;
  name: string;
  status: RoomStatus;
  caseId: string | null;
  /** When the room entered its status (the board's turnover timer); absent in hand-built contexts. */
  since?: string;
}

// Everything decide() needs from outside the case stream, passed in so the decider stays pure.
export interface DecideContext {
  now: string;
  actor: Actor;
  rooms: RoomView[];
  settings: Settings;
  /** The unit's imaging machines (read for record_dose only; absent or empty when none are listed). */
  equipment?: readonly Equipment[];
}

export type Decision = { ok: true; events: CaseEvent[] } | { ok: false; rejection: Rejection };

export const refuse = (rejection: Rejection): Decision => ({ ok: false, rejection });
