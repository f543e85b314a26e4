import Type, { type Static } from 'typebox';
import type { CaseEvent } from '../domain/events';
import type { CaseState } from '../domain/state';
import type { RoomEvent } from './live';

// The case and room answers. A case is the fold of its events (shared/domain/state.ts), dozens of
// optional records deep: it is sent as the server holds it (serialised like JSON.stringify, which is
// what a command answer cost before it had a schema) rather than restated here field by field, where
// a field forgotten would be silently stripped from every screen.

export const CaseStateSchema = Type.Unsafe<CaseState>({ description: 'A case as folded from its events (CaseState, shared/domain/state.ts)' });

/** One event of a case's timeline: the event with its place in the log and the case version it made. */
export type TimelineEntry = CaseEvent & { seq: number; version: number };
export const TimelineEntrySchema = Type.Unsafe<TimelineEntry>({
  description: 'An event with `seq` (its place in the log) and `version` (the case version it made): type, occurredAt, recordedAt, actor, data',
});

export const RoomSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Type.Union([Type.Literal('free'), Type.Literal('occupied'), Type.Literal('cleaning')]),
  caseId: Type.Union([Type.String(), Type.Null()], { description: 'The case in the room, or being cleaned after' }),
  since: Type.String({ description: 'When the room entered its status (the board’s turnover timer)' }),
});
/** A room as the server sends it: it always says since when the room holds its status. */
export type Room = Static<typeof RoomSchema>;

export const CaseListSchema = Type.Object({ date: Type.String(), cases: Type.Array(CaseStateSchema) });
export type CaseList = Static<typeof CaseListSchema>;

export const CaseWithTimelineSchema = Type.Object({ case: CaseStateSchema, timeline: Type.Array(TimelineEntrySchema) });
export type CaseWithTimeline = Static<typeof CaseWithTimelineSchema>;

/** What a command (or a schedule) answers: the case after it and the events it recorded. */
export const CommandAnswerSchema = Type.Object({ case: CaseStateSchema, events: Type.Array(TimelineEntrySchema) });
export type CommandAnswer = Static<typeof CommandAnswerSchema>;

export const RoomListSchema = Type.Object({ rooms: Type.Array(RoomSchema) });

export const RoomAnswerSchema = Type.Object({
  room: RoomSchema,
  events: Type.Array(Type.Unsafe<RoomEvent & { seq: number }>({ description: 'The room_ready event with its place in the log' })),
});
export type RoomAnswer = Static<typeof RoomAnswerSchema>;
