import type { CaseEvent, CaseState, DemographicsUpdate, Equipment, RoomView, RuleParams } from '../shared';
import type { INTERFACE_CHANNELS, INTERFACE_MESSAGE_STATUSES } from './schema';
import { appointmentNumbers, storedEventOf, type EventRow as EventRowOf, type RoomEvent, type StoredEvent, type Stream } from './event-store';

export { appointmentNumbers, storedEventOf };
export type { EventRowOf, RoomEvent, StoredEvent, Stream };

/** The first answer to an Idempotency-Key, replayed to every retry of the same request. */
export interface StoredAnswer {
  requestHash: string;
  statusCode: number;
  body: unknown;
}

/** A patient as a new case looks it up by MRN and files it. */
export interface PatientRow {
  id: string;
  mrn: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  sex: string | null;
  createdAt: string;
}

export type InboxChannel = (typeof INTERFACE_CHANNELS)[number];
export type InboxStatus = (typeof INTERFACE_MESSAGE_STATUSES)[number];

/** A message of the hospital's interfaces as the inbox stored it (server/interfaces/inbox.ts), without its text. */
export interface InboxSummary {
  id: number;
  channel: InboxChannel;
  sender: string;
  messageId: string;
  receivedAt: string;
  charset: string;
  messageType: string;
  status: InboxStatus;
  rule: string | null;
  params: RuleParams | null;
  caseId: string | null;
  appliedAt: string | null;
}

/** A stored message with its text, as it was received (decoded). */
export type InboxRow = InboxSummary & { raw: string };

export type InboxIncoming = Pick<InboxRow, 'channel' | 'sender' | 'messageId' | 'raw' | 'charset' | 'messageType'>;

/** What became of a message once applied (or found unappliable). */
export type InboxOutcome = Pick<InboxRow, 'status' | 'caseId' | 'rule' | 'params' | 'appliedAt'>;

/**
 * The store lost the whole transaction under a savepoint (SQLite rolls it back on a fatal error such
 * as a full disk; a PostgreSQL connection can die): no later work of the group can be stored with it.
 */
export class TransactionAborted extends Error {
  constructor(readonly reason: unknown) {
    super('the transaction was rolled back under its savepoint');
    this.name = 'TransactionAborted';
  }
}

/**
 * Two writers appended the same version of one case: the loser's transaction stored nothing. Both
 * stores report it as this (`versionConflictOf` reads SQLite's unique-constraint error the same way).
 */
export class VersionConflict extends Error {
  constructor(readonly caseId: string, readonly version: number) {
    super(`case ${caseId} already has a version ${version}`);
    this.name = 'VersionConflict';
  }
}

/** The conflict an append ran into, from either store, or null for any other error. */
export function versionConflictOf(error: unknown, stream?: Stream): VersionConflict | null {
  if (error instanceof VersionConflict) return error;
  const sqlite = error as { code?: unknown; message?: unknown } | null;
  if (sqlite?.code === 'SQLITE_CONSTRAINT_UNIQUE' && String(sqlite.message).includes('events.case_id, events.version')) {
    return new VersionConflict(stream && 'caseId' in stream ? stream.caseId : '', stream && 'caseId' in stream ? stream.version : 0);
  }
  return null;
}

/** The reads a screen, a report or a live replay makes, outside any command. */
export interface StoreReads {
  loadCase(caseId: string): Promise<CaseState | null>;
  casesOfDay(day: string): Promise<CaseState[]>;
  /** A day's cases as JSON text, for a caller that only serialises them again. */
  caseJsonOfDay(day: string): Promise<string[]>;
  timeline(caseId: string): Promise<StoredEvent[]>;
  eventsSince(seq: number, limit: number): Promise<StoredEvent[]>;
  /** The last `limit` events of the log, oldest first. */
  latestEvents(limit: number): Promise<StoredEvent[]>;
  lastSeq(): Promise<number>;
  recordedAt(seq: number): Promise<string | null>;
  rooms(): Promise<Required<RoomView>[]>;
  /** Each room's releases (RoomReady) between two instants, `start` included, in time order: a day report's turnovers. */
  roomReadies(start: string, end: string): Promise<{ roomId: string; at: string }[]>;
  /** The discharged cases of the days `from` to `to` (both included), by day then time: the follow-up calls. */
  dischargedInRange(from: string, to: string): Promise<CaseState[]>;
  staleCaseCount(): Promise<number>;
  /** Every case's events, one case after the other, each in version order (a rebuild's input). */
  caseStreams(): AsyncGenerator<{ caseId: string; events: StoredEvent[] }>;
  /** The interfaces' newest messages first, at most `limit`, of one status or all. */
  inboxMessages(options: { limit: number; status?: InboxStatus }): Promise<InboxSummary[]>;
  inboxMessage(id: number): Promise<InboxRow | null>;
  /** The messages stored and not yet applied (a crash between the two), oldest first. */
  pendingMessages(): Promise<number[]>;
}

/**
 * What a command (or a group of commands) does inside its one transaction: the same calls the
 * SQLite EventStore offers, plus the Idempotency-Key answers execute.ts keeps beside the events.
 */
export interface StoreTransaction {
  loadCase(caseId: string): Promise<CaseState | null>;
  rooms(): Promise<Required<RoomView>[]>;
  /** Throws VersionConflict when the case already holds this version. */
  append(stream: Stream, event: CaseEvent | RoomEvent): Promise<StoredEvent>;
  /** Writes the projection of a case; `patientId` is given only when the case is new. */
  saveCase(state: CaseState, day: string, patientId: string | null, now: string): Promise<void>;
  saveDevices(state: CaseState): Promise<void>;
  /** The booking's numbers (placer, filler) in the index a booking looks a case up by: with a new case, and again at a rebuild. */
  saveAppointments(state: CaseState): Promise<void>;
  setRoomStatus(roomId: string, status: RoomView['status'], caseId: string | null, since: string): Promise<void>;
  answerOf(actorId: string, key: string): Promise<StoredAnswer | null>;
  patientOfMrn(mrn: string): Promise<PatientRow | null>;
  addPatient(patient: PatientRow): Promise<void>;
  /** The machines of the unit's equipment list in force (none listed: empty). */
  machines(): Promise<Equipment[]>;
  /** Every case's events, as StoreReads gives them, read inside the transaction (a rebuild's input). */
  caseStreams(): AsyncGenerator<{ caseId: string; events: StoredEvent[] }>;
  rememberAnswer(actorId: string, key: string, answer: StoredAnswer, now: string): Promise<void>;
  /** The case a booking number of the hospital's systems names (a number booked again names the newest case). */
  caseOfAppointment(kind: 'placer' | 'filler', value: string): Promise<string | null>;
  /** A patient's cases not in a terminal stage, by scheduled time. */
  openCasesOfPatient(patientId: string): Promise<string[]>;
  updatePatient(id: string, update: DemographicsUpdate): Promise<void>;
  /** Stores a message once: the same channel, sender and message id again finds the first row. */
  receiveMessage(incoming: InboxIncoming, receivedAt: string): Promise<{ id: number; status: InboxStatus; duplicate: boolean }>;
  inboxMessage(id: number): Promise<InboxRow | null>;
  /** Records a message's outcome, unless it was already applied (or found to repeat a booking). */
  recordMessage(id: number, outcome: InboxOutcome): Promise<void>;
  /**
   * One command of a group: a throw undoes this work alone and leaves the transaction usable, or, when
   * the store lost the transaction itself, comes out as TransactionAborted carrying the work's error.
   */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
}

/** The store both dialects implement: SQLite in one process, PostgreSQL under several instances. */
export interface Store extends StoreReads {
  /**
   * Runs `work` in one transaction that holds the log's write lock from its start: commands of all
   * instances are decided one after the other, each against what the previous one committed.
   */
  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
