import type { Settings } from '$shared';
import type { Room } from '$lib/api/client';

/** What /api/live sends; `C` is a full CaseState for staff and a BoardCase for a wall screen. */
export interface SnapshotMessage<C> {
  type: 'snapshot';
  seq: number;
  day: string;
  /** The server's clock when it built the message (ISO), so the screen can correct a drifting device clock. */
  now: string;
  /** The unit's settings (observation times, alert thresholds) the server decides with. */
  settings: Settings;
  cases: C[];
  rooms: Room[];
}

export interface EventMessage<C> {
  type: 'event';
  seq: number;
  caseId: string | null;
  roomId?: string;
  event: { type: string; occurredAt: string; recordedAt?: string; version?: number; actor?: unknown; data?: unknown };
  case?: C;
  rooms?: Room[];
}

export type LiveMessage<C> =
  | SnapshotMessage<C>
  | EventMessage<C>
  | { type: 'resumed'; seq: number; now: string }
  | { type: 'pong'; seq: number }
  | { type: 'batch'; messages: LiveMessage<C>[] }
  | { type: 'error'; code: string; detail: string };
