import type Database from 'better-sqlite3';
import { PROJECTION_VERSION, caseDevices, type Actor, type CaseEvent, type CaseState, type RoomEvent, type RoomView } from '../shared';

export type { RoomEvent };

/** An event as the log holds it: its global position, its stream and the event itself. */
export interface StoredEvent {
  seq: number;
  caseId: string | null;
  roomId: string | null;
  version: number | null;
  event: CaseEvent | RoomEvent;
}

export type Stream = { caseId: string; version: number } | { roomId: string };

/** A row of `events` as both stores read it: `data` is JSON text in SQLite, already parsed (jsonb) in PostgreSQL. */
export interface EventRow<Data = string> {
  seq: number;
  case_id: string | null;
  room_id: string | null;
  version: number | null;
  type: string;
  data: Data;
  actor_id: string;
  actor_name: string;
  actor_role: Actor['role'];
  occurred_at: string;
  recorded_at: string;
}

/**
 * A case's booking numbers as the appointment index holds them, one row per number it has. They never
 * change after the schedule: written with the case, and again by a rebuild.
 */
export function appointmentNumbers(state: CaseState): { kind: 'placer' | 'filler'; value: string }[] {
  return (['placer', 'filler'] as const).flatMap((kind) => (state.appointment?.[kind] ? [{ kind, value: state.appointment[kind] }] : []));
}

/** A row of `events` as a StoredEvent, given its data already parsed. */
export const storedEventOf = (row: EventRow<unknown>, data: unknown): StoredEvent => ({
  seq: row.seq,
  caseId: row.case_id,
  roomId: row.room_id,
  version: row.version,
  event: {
    type: row.type,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    actor: { id: row.actor_id, name: row.actor_name, role: row.actor_role },
    data,
  } as CaseEvent | RoomEvent,
});

const toStoredEvent = (row: EventRow): StoredEvent => storedEventOf(row, JSON.parse(row.data));

/**
 * The append-only event log and the case/room projections. Every command goes through these few
 * statements, so they are prepared once on the raw connection instead of being rebuilt by the query
 * builder on each call (drizzle keeps the schema, the migrations and the colder queries).
 */
/**
 * The reads a command, a screen or a live replay makes, each an index search or a walk of the log's
 * newest end, so their cost follows the day, not the history (tests/integration/query-plans.test.ts).
 */
export const READ_SQL = {
  loadCase: 'select state from cases where id = ?',
  casesOfDay: 'select state from cases where day = ? order by scheduled_at, id',
  timeline: 'select * from events where case_id = ? order by version',
  since: 'select * from events where seq > ? order by seq limit ?',
  latest: 'select * from events order by seq desc limit ?',
  recordedAt: 'select recorded_at from events where seq = ?',
} as const;

export class EventStore {
  readonly #append;
  readonly #loadCase;
  readonly #insertCase;
  readonly #updateCase;
  readonly #casesOfDay;
  readonly #staleCases;
  readonly #caseEvents;
  readonly #timeline;
  readonly #since;
  readonly #latest;
  readonly #lastSeq;
  readonly #recordedAt;
  readonly #rooms;
  readonly #setRoom;
  readonly #sqlite;
  // Prepared on first use: a database opened at an older migration (a tool, the upgrade test) has no such table yet.
  #clearDevices: Database.Statement | null = null;
  #insertDevice: Database.Statement | null = null;
  #insertAppointment: Database.Statement | null = null;

  constructor(sqlite: Database.Database) {
    this.#append = sqlite.prepare(
      `insert into events (case_id, room_id, version, type, data, actor_id, actor_name, actor_role, occurred_at, recorded_at)
       values (@caseId, @roomId, @version, @type, @data, @actorId, @actorName, @actorRole, @occurredAt, @recordedAt)`,
    );
    this.#loadCase = sqlite.prepare(READ_SQL.loadCase).pluck();
    this.#insertCase = sqlite.prepare(
      `insert into cases (id, patient_id, day, scheduled_at, stage, room_id, version, state, projection_version, updated_at)
       values (@id, @patientId, @day, @scheduledAt, @stage, @roomId, @version, @state, @projectionVersion, @updatedAt)`,
    );
    this.#updateCase = sqlite.prepare(
      `update cases set day = @day, scheduled_at = @scheduledAt, stage = @stage, room_id = @roomId, version = @version,
       state = @state, projection_version = @projectionVersion, updated_at = @updatedAt where id = @id`,
    );
    this.#casesOfDay = sqlite.prepare(READ_SQL.casesOfDay).pluck();
    this.#staleCases = sqlite.prepare('select count(*) from cases where projection_version <> ?').pluck();
    // Walks the (case_id, version) unique index: every case's stream in order, in one pass over the log.
    this.#caseEvents = sqlite.prepare('select * from events where case_id is not null order by case_id, version');
    this.#timeline = sqlite.prepare(READ_SQL.timeline);
    this.#since = sqlite.prepare(READ_SQL.since);
    this.#latest = sqlite.prepare(READ_SQL.latest);
    this.#lastSeq = sqlite.prepare('select coalesce(max(seq), 0) from events').pluck();
    this.#recordedAt = sqlite.prepare(READ_SQL.recordedAt).pluck();
    this.#rooms = sqlite.prepare(
      'select id, name, status, case_id as caseId, status_since as since from rooms order by sort_order, id',
    );
    this.#setRoom = sqlite.prepare('update rooms set status = ?, case_id = ?, status_since = ? where id = ?');
    this.#sqlite = sqlite;
  }

  /** Rewrites the devices of a case from its state (a correction may have taken one back). */
  saveDevices(state: CaseState) {
    this.#clearDevices ??= this.#sqlite.prepare('delete from case_devices where case_id = ?');
    this.#insertDevice ??= this.#sqlite.prepare(
      `insert into case_devices (case_id, position, kind, gtin, lot, serial, expiry, at)
       values (@caseId, @position, @kind, @gtin, @lot, @serial, @expiry, @at)`,
    );
    this.#clearDevices.run(state.id);
    for (const [position, d] of caseDevices(state).entries()) {
      this.#insertDevice.run({ caseId: state.id, position, kind: d.kind, gtin: d.gtin ?? null, lot: d.lot ?? null, serial: d.serial ?? null, expiry: d.expiry ?? null, at: d.at });
    }
  }

  append(stream: Stream, event: CaseEvent | RoomEvent): StoredEvent {
    const caseStream = 'caseId' in stream;
    const row = {
      caseId: caseStream ? stream.caseId : null,
      roomId: caseStream ? null : stream.roomId,
      version: caseStream ? stream.version : null,
      type: event.type,
      data: JSON.stringify(event.data),
      actorId: event.actor.id,
      actorName: event.actor.name,
      actorRole: event.actor.role,
      occurredAt: event.occurredAt,
      recordedAt: event.recordedAt,
    };
    const seq = Number(this.#append.run(row).lastInsertRowid);
    return { seq, caseId: row.caseId, roomId: row.roomId, version: row.version, event };
  }

  loadCase(caseId: string): CaseState | null {
    const state = this.#loadCase.get(caseId) as string | undefined;
    return state === undefined ? null : (JSON.parse(state) as CaseState);
  }

  /** Writes the projection of a case; `patientId` is given only when the case is new. */
  saveCase(state: CaseState, day: string, patientId: string | null, now: string) {
    const row = {
      id: state.id,
      day,
      scheduledAt: state.scheduledAt,
      stage: state.stage,
      roomId: state.roomId,
      version: state.version,
      state: JSON.stringify(state),
      projectionVersion: PROJECTION_VERSION,
      updatedAt: now,
    };
    if (patientId) {
      this.#insertCase.run({ ...row, patientId });
      this.saveAppointments(state);
    } else this.#updateCase.run(row);
  }

  saveAppointments(state: CaseState) {
    this.#insertAppointment ??= this.#sqlite.prepare('insert or replace into case_appointments (kind, value, case_id) values (?, ?, ?)');
    for (const { kind, value } of appointmentNumbers(state)) this.#insertAppointment.run(kind, value, state.id);
  }

  /** How many stored case states were folded under another PROJECTION_VERSION than this code's. */
  staleCaseCount(): number {
    return this.#staleCases.get(PROJECTION_VERSION) as number;
  }

  /**
   * Every case's events, one case after the other, each in version order (a rebuild's input). The
   * connection is busy until the walk ends: write only once it is over.
   */
  *caseStreams(): Generator<{ caseId: string; events: StoredEvent[] }> {
    let current = null as { caseId: string; events: StoredEvent[] } | null;
    for (const row of this.#caseEvents.iterate() as IterableIterator<EventRow>) {
      if (current?.caseId !== row.case_id) {
        if (current) yield current;
        current = { caseId: row.case_id!, events: [] };
      }
      current.events.push(toStoredEvent(row));
    }
    if (current) yield current;
  }

  casesOfDay(day: string): CaseState[] {
    return this.caseJsonOfDay(day).map((s) => JSON.parse(s) as CaseState);
  }

  /** A day's cases as stored (each written by JSON.stringify), for a caller that only serialises them again. */
  caseJsonOfDay(day: string): string[] {
    return this.#casesOfDay.all(day) as string[];
  }

  timeline(caseId: string): StoredEvent[] {
    return (this.#timeline.all(caseId) as EventRow[]).map(toStoredEvent);
  }

  eventsSince(seq: number, limit: number): StoredEvent[] {
    return (this.#since.all(seq, limit) as EventRow[]).map(toStoredEvent);
  }

  /** The last `limit` events of the log, oldest first. */
  latestEvents(limit: number): StoredEvent[] {
    return (this.#latest.all(limit) as EventRow[]).map(toStoredEvent).reverse();
  }

  lastSeq(): number {
    return this.#lastSeq.get() as number;
  }

  /** When the event at `seq` was stored (server clock), or null when there is none. */
  recordedAt(seq: number): string | null {
    return (this.#recordedAt.get(seq) as string | undefined) ?? null;
  }

  rooms(): Required<RoomView>[] {
    return this.#rooms.all() as Required<RoomView>[];
  }

  setRoomStatus(roomId: string, status: RoomView['status'], caseId: string | null, since: string) {
    this.#setRoom.run(status, caseId, since, roomId);
  }
}
