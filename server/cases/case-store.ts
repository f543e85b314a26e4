import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { DB } from '../../db/connection';
import { cases, events, rooms } from '../../db/schema';
import type { CaseEvent, CaseState, RoomView } from '../../shared';

/** An event as the log holds it: its global position, its stream and the event itself. */
export interface StoredEvent {
  seq: number;
  caseId: string | null;
  roomId: string | null;
  version: number | null;
  event: CaseEvent | RoomEvent;
}

/** Rooms have a tiny stream of their own: only `room_ready` lives there (entering and leaving are case events). */
export interface RoomEvent {
  type: 'RoomReady';
  occurredAt: string;
  recordedAt: string;
  actor: CaseEvent['actor'];
  data: { roomId: string };
}

type EventRow = typeof events.$inferSelect;

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    caseId: row.caseId,
    roomId: row.roomId,
    version: row.version,
    event: {
      type: row.type,
      occurredAt: row.occurredAt,
      recordedAt: row.recordedAt,
      actor: { id: row.actorId, name: row.actorName, role: row.actorRole },
      data: row.data,
    } as CaseEvent | RoomEvent,
  };
}

export function appendEvent(db: DB, stream: { caseId: string; version: number } | { roomId: string }, event: CaseEvent | RoomEvent): StoredEvent {
  const row = db
    .insert(events)
    .values({
      caseId: 'caseId' in stream ? stream.caseId : null,
      version: 'caseId' in stream ? stream.version : null,
      roomId: 'roomId' in stream ? stream.roomId : null,
      type: event.type,
      data: event.data,
      actorId: event.actor.id,
      actorName: event.actor.name,
      actorRole: event.actor.role,
      occurredAt: event.occurredAt,
      recordedAt: event.recordedAt,
    })
    .returning()
    .get();
  return toStoredEvent(row);
}

export function loadCase(db: DB, caseId: string): CaseState | null {
  const row = db.select({ state: cases.state }).from(cases).where(eq(cases.id, caseId)).get();
  return row ? (row.state as CaseState) : null;
}

export function loadCases(db: DB, caseIds: string[]): CaseState[] {
  if (caseIds.length === 0) return [];
  return db.select({ state: cases.state }).from(cases).where(inArray(cases.id, caseIds)).all().map((r) => r.state as CaseState);
}

export function casesOfDay(db: DB, day: string): CaseState[] {
  return db
    .select({ state: cases.state })
    .from(cases)
    .where(eq(cases.day, day))
    .orderBy(asc(cases.scheduledAt))
    .all()
    .map((r) => r.state as CaseState);
}

export function saveCase(db: DB, state: CaseState, day: string, patientId: string | null, now: string) {
  const values = {
    day,
    scheduledAt: state.scheduledAt,
    stage: state.stage,
    roomId: state.roomId,
    version: state.version,
    state,
    updatedAt: now,
  };
  if (patientId) db.insert(cases).values({ id: state.id, patientId, ...values }).run();
  else db.update(cases).set(values).where(eq(cases.id, state.id)).run();
}

export function caseTimeline(db: DB, caseId: string): StoredEvent[] {
  return db.select().from(events).where(eq(events.caseId, caseId)).orderBy(asc(events.version)).all().map(toStoredEvent);
}

export function eventsSince(db: DB, seq: number, limit: number): StoredEvent[] {
  return db.select().from(events).where(gt(events.seq, seq)).orderBy(asc(events.seq)).limit(limit).all().map(toStoredEvent);
}

export function lastSeq(db: DB): number {
  const row = db.select({ seq: sql<number>`coalesce(max(${events.seq}), 0)` }).from(events).get();
  return row?.seq ?? 0;
}

export function listRooms(db: DB): RoomView[] {
  return db
    .select({ id: rooms.id, name: rooms.name, status: rooms.status, caseId: rooms.caseId, since: rooms.statusSince })
    .from(rooms)
    .orderBy(asc(rooms.sortOrder), asc(rooms.id))
    .all();
}

export function setRoomStatus(db: DB, roomId: string, status: RoomView['status'], caseId: string | null, since: string) {
  db.update(rooms).set({ status, caseId, statusSince: since }).where(and(eq(rooms.id, roomId))).run();
}
