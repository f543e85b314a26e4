import type { BoardCase } from '../domain/board';
import type { Actor, CaseEvent } from '../domain/events';
import type { Settings } from '../domain/settings';
import type { CaseState } from '../domain/state';
import type { Room } from './cases';

// The live feed (/api/live, DESIGN.md "Live protocol"): every frame the server sends or accepts, typed
// once for the hub that builds them and the screens that read them.

/** Rooms have a tiny stream of their own: only `room_ready` lives there (entering and leaving are case events). */
export interface RoomEvent {
  type: 'RoomReady';
  occurredAt: string;
  recordedAt: string;
  actor: Actor;
  data: { roomId: string };
}


/** Staff screens see the whole case; wall boards see the pseudonymous projection only. */
export type Audience = 'staff' | 'board';

/** A staff frame carries the event whole, with the case version it made (none for a room's). */
export type StaffEvent = (CaseEvent & { version: number }) | (RoomEvent & { version: null });

/** Boards get an event's type and time only: its data may hold an escort's name or free text. */
export type BoardEvent = Pick<CaseEvent | RoomEvent, 'type' | 'occurredAt'>;

interface AudienceShapes {
  staff: { case: CaseState; event: StaffEvent };
  board: { case: BoardCase; event: BoardEvent };
}
export type LiveCase<A extends Audience> = AudienceShapes[A]['case'];

export interface SnapshotMessage<A extends Audience> {
  type: 'snapshot';
  seq: number;
  day: string;
  /** The server's clock when it built the message (ISO), so the screen can correct a drifting device clock. */
  now: string;
  /** The unit's settings (observation times, alert thresholds) the server decides with. */
  settings: Settings;
  cases: LiveCase<A>[];
  rooms: Room[];
}

/** One committed event; `case` is its case right after it, `rooms` the rooms when they changed (or on a replay's last frame). */
export interface EventMessage<A extends Audience> {
  type: 'event';
  seq: number;
  caseId: string | null;
  roomId?: string;
  event: AudienceShapes[A]['event'];
  case?: LiveCase<A>;
  rooms?: Room[];
}

/** A replay is over: the client holds everything up to `seq` and is live again. */
export interface ResumedMessage {
  type: 'resumed';
  seq: number;
  now: string;
}

export interface PongMessage {
  type: 'pong';
  seq: number;
}

export interface LiveErrorMessage {
  type: 'error';
  code: 'validation_failed';
  detail: string;
}

/** What a `?batch=1` client gets instead of single frames: every message of one tick. */
export interface BatchMessage<A extends Audience> {
  type: 'batch';
  messages: LiveMessage<A>[];
}

/** Every frame the server sends on one audience's feed. */
export type LiveMessage<A extends Audience> =
  | SnapshotMessage<A>
  | EventMessage<A>
  | ResumedMessage
  | PongMessage
  | LiveErrorMessage
  | BatchMessage<A>;

/** Every frame a screen may send: a resume from the last seq it holds, or a ping to prove the link alive. */
export type LiveRequest = { type: 'resume'; since: number } | { type: 'ping' };
