import type Database from 'better-sqlite3';
import { TERMINAL_STAGES, type CaseEvent, type CaseState, type DemographicsUpdate, type Equipment, type RoomView } from '../shared';
import { EventStore } from './event-store';
import {
  TransactionAborted,
  type InboxIncoming,
  type InboxOutcome,
  type InboxRow,
  type InboxStatus,
  type InboxSummary,
  type PatientRow,
  type RoomEvent,
  type Store,
  type StoreTransaction,
  type StoredAnswer,
  type StoredEvent,
  type Stream,
} from './store';

/** Reads the partial index of room releases (events_room_ready_idx), not the whole log. */
export const ROOM_READIES_SQL = `select room_id as roomId, occurred_at as at from events
       where type = 'RoomReady' and room_id is not null and occurred_at >= ? and occurred_at < ? order by occurred_at`;

/** The discharged cases of a day range, through the (day, scheduled_at) index. */
export const DISCHARGED_IN_RANGE_SQL = `select state from cases where day >= ? and day <= ? and stage = 'discharged' order by day, scheduled_at, id`;

/** The reads a booking makes, each an index search (tests/integration/query-plans.test.ts). */
export const BOOKING_SQL = {
  caseOfAppointment: 'select case_id from case_appointments where kind = ? and value = ?',
  openCasesOfPatient: `select id from cases where patient_id = ? and stage not in (${TERMINAL_STAGES.map((s) => `'${s}'`).join(', ')}) order by scheduled_at, id`,
} as const;

const SUMMARY_COLUMNS = `id, channel, sender, message_id as messageId, received_at as receivedAt, charset, message_type as messageType,
  status, rule, params, case_id as caseId, applied_at as appliedAt`;

/** The interfaces' inbox; `pending` is the start-up's read of what a crash left, an index search (query-plans.test.ts). */
export const INBOX_SQL = {
  pending: "select id from interface_messages where status = 'received' order by id",
  recent: `select ${SUMMARY_COLUMNS} from interface_messages order by id desc limit ?`,
  recentOfStatus: `select ${SUMMARY_COLUMNS} from interface_messages where status = ? order by id desc limit ?`,
  one: `select ${SUMMARY_COLUMNS}, raw from interface_messages where id = ?`,
  ofKey: 'select id, status from interface_messages where channel = ? and sender = ? and message_id = ?',
  add: `insert into interface_messages (channel, sender, message_id, received_at, raw, charset, message_type, status)
        values (@channel, @sender, @messageId, @receivedAt, @raw, @charset, @messageType, 'received')`,
  record: `update interface_messages set status = @status, case_id = @caseId, rule = @rule, params = @params, applied_at = @appliedAt
           where id = @id and status not in ('applied', 'duplicate')`,
} as const;

const inboxRowOf = <T extends { params: unknown }>(row: T): T & Pick<InboxSummary, 'params'> => ({
  ...row,
  params: row.params === null ? null : (JSON.parse(row.params as string) as InboxSummary['params']),
});

/** The interfaces' newest messages first, synchronously, for the store and for tools holding the connection. */
function inboxMessagesOf(prepare: (sql: string) => Database.Statement, options: { limit: number; status?: InboxStatus }): InboxSummary[] {
  const rows = options.status ? prepare(INBOX_SQL.recentOfStatus).all(options.status, options.limit) : prepare(INBOX_SQL.recent).all(options.limit);
  return (rows as InboxSummary[]).map(inboxRowOf);
}

// The statements the command path adds to the event store's, each an index search.
const SQL = {
  answerOf: 'select request_hash as requestHash, status_code as statusCode, body from idempotency where actor_id = ? and key = ?',
  remember: 'insert into idempotency (actor_id, key, request_hash, status_code, body, created_at) values (?, ?, ?, ?, ?, ?)',
  patientOfMrn:
    'select id, mrn, first_name as firstName, last_name as lastName, birth_date as birthDate, sex, created_at as createdAt from patients where mrn = ?',
  addPatient:
    'insert into patients (id, mrn, first_name, last_name, birth_date, sex, created_at) values (@id, @mrn, @firstName, @lastName, @birthDate, @sex, @createdAt)',
  updatePatient: 'update patients set first_name = @firstName, last_name = @lastName, birth_date = @birthDate, sex = coalesce(@sex, sex) where id = @id',
  machines: 'select machines from unit_equipment order by seq desc limit 1',
  roomReadies: ROOM_READIES_SQL,
  dischargedInRange: DISCHARGED_IN_RANGE_SQL,
  begin: 'begin immediate',
  commit: 'commit',
  rollback: 'rollback',
  savepoint: 'savepoint command',
  release: 'release command',
  rollbackTo: 'rollback to command',
} as const;

/**
 * The `Store` over the one SQLite connection of the process, beside the synchronous EventStore it
 * wraps (which the SQLite-only reads, reports and tools keep calling as they did): a class of its own
 * rather than async twins of every EventStore method under the same names.
 *
 * Every request shares that connection, so a transaction must hold it alone from BEGIN to COMMIT. It
 * does because its work awaits only this store's promises, which are already resolved when returned:
 * the whole transaction runs before the event loop turns, and no other request's statement can run
 * inside it. What would break that is refused, not shared: a transaction opened inside another, a
 * savepoint inside a savepoint, a read of the store (outside the transaction's own) while one is open,
 * and work that awaited anything else (a timer, a socket), which is rolled back and fails.
 */
export class SqliteStore implements Store {
  #events: EventStore | null;
  #statements = new Map<string, Database.Statement>();
  #open = false;

  constructor(
    readonly sqlite: Database.Database,
    events?: EventStore,
  ) {
    this.#events = events ?? null;
  }

  /** The synchronous store its statements are prepared in, on first use (as the connection does). */
  get events(): EventStore {
    return (this.#events ??= new EventStore(this.sqlite));
  }

  statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) this.#statements.set(sql, (statement = this.sqlite.prepare(sql)));
    return statement;
  }

  async transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    if (this.#open || this.sqlite.inTransaction) throw new Error('a transaction is already open on this SQLite connection');
    this.statement(SQL.begin).run();
    this.#open = true;
    let turned = false;
    const watch = setImmediate(() => {
      turned = true;
    });
    const tx = new SqliteTransaction(this);
    try {
      const result = await work(tx);
      if (turned) throw new Error('a SQLite transaction awaited something other than its store: other requests could have run inside it');
      if (!this.sqlite.inTransaction) throw new Error('SQLite rolled the transaction back');
      this.statement(SQL.commit).run();
      return result;
    } catch (error) {
      if (this.sqlite.inTransaction) this.statement(SQL.rollback).run();
      throw error;
    } finally {
      clearImmediate(watch);
      tx.closed = true;
      this.#open = false;
    }
  }

  /** The store's own reads see only what was committed: none may run while a transaction holds the connection. */
  #idle(): EventStore {
    if (this.#open) throw new Error('a read of the SQLite store while a transaction is open would see its uncommitted writes');
    return this.events;
  }

  async loadCase(caseId: string) {
    return this.#idle().loadCase(caseId);
  }
  async casesOfDay(day: string) {
    return this.#idle().casesOfDay(day);
  }
  async caseJsonOfDay(day: string) {
    return this.#idle().caseJsonOfDay(day);
  }
  async timeline(caseId: string) {
    return this.#idle().timeline(caseId);
  }
  async eventsSince(seq: number, limit: number) {
    return this.#idle().eventsSince(seq, limit);
  }
  async latestEvents(limit: number) {
    return this.#idle().latestEvents(limit);
  }
  async lastSeq() {
    return this.#idle().lastSeq();
  }
  async recordedAt(seq: number) {
    return this.#idle().recordedAt(seq);
  }
  async rooms() {
    return this.#idle().rooms();
  }
  async staleCaseCount() {
    return this.#idle().staleCaseCount();
  }
  async dischargedInRange(from: string, to: string) {
    this.#idle();
    return (this.statement(SQL.dischargedInRange).pluck().all(from, to) as string[]).map((json) => JSON.parse(json) as CaseState);
  }
  async roomReadies(start: string, end: string) {
    this.#idle();
    return this.statement(SQL.roomReadies).all(start, end) as { roomId: string; at: string }[];
  }
  async *caseStreams() {
    yield* this.#idle().caseStreams();
  }
  async inboxMessages(options: { limit: number; status?: InboxStatus }): Promise<InboxSummary[]> {
    this.#idle();
    return inboxMessagesOf((sql) => this.statement(sql), options);
  }
  async inboxMessage(id: number): Promise<InboxRow | null> {
    this.#idle();
    return inboxMessage(this, id);
  }
  async pendingMessages(): Promise<number[]> {
    this.#idle();
    return this.statement(INBOX_SQL.pending).pluck().all() as number[];
  }

  async close() {
    this.sqlite.close();
  }
}

function inboxMessage(store: SqliteStore, id: number): InboxRow | null {
  const row = store.statement(INBOX_SQL.one).get(id) as InboxRow | undefined;
  return row ? inboxRowOf(row) : null;
}

class SqliteTransaction implements StoreTransaction {
  closed = false;
  #inSavepoint = false;

  constructor(private readonly store: SqliteStore) {}

  #check(): void {
    if (this.closed) throw new Error('the SQLite transaction is over');
  }

  get #events(): EventStore {
    this.#check();
    return this.store.events;
  }

  async loadCase(caseId: string): Promise<CaseState | null> {
    return this.#events.loadCase(caseId);
  }
  async rooms(): Promise<Required<RoomView>[]> {
    return this.#events.rooms();
  }
  async append(stream: Stream, event: CaseEvent | RoomEvent): Promise<StoredEvent> {
    return this.#events.append(stream, event);
  }
  async saveCase(state: CaseState, day: string, patientId: string | null, now: string) {
    this.#events.saveCase(state, day, patientId, now);
  }
  async saveDevices(state: CaseState) {
    this.#events.saveDevices(state);
  }
  async saveAppointments(state: CaseState) {
    this.#events.saveAppointments(state);
  }
  async setRoomStatus(roomId: string, status: RoomView['status'], caseId: string | null, since: string) {
    this.#events.setRoomStatus(roomId, status, caseId, since);
  }
  async *caseStreams() {
    yield* this.#events.caseStreams();
  }

  async answerOf(actorId: string, key: string): Promise<StoredAnswer | null> {
    this.#check();
    const row = this.store.statement(SQL.answerOf).get(actorId, key) as { requestHash: string; statusCode: number; body: string } | undefined;
    return row ? { requestHash: row.requestHash, statusCode: row.statusCode, body: JSON.parse(row.body) } : null;
  }
  async rememberAnswer(actorId: string, key: string, answer: StoredAnswer, now: string) {
    this.#check();
    this.store.statement(SQL.remember).run(actorId, key, answer.requestHash, answer.statusCode, JSON.stringify(answer.body), now);
  }
  async patientOfMrn(mrn: string): Promise<PatientRow | null> {
    this.#check();
    return (this.store.statement(SQL.patientOfMrn).get(mrn) as PatientRow | undefined) ?? null;
  }
  async addPatient(patient: PatientRow) {
    this.#check();
    this.store.statement(SQL.addPatient).run(patient);
  }
  async caseOfAppointment(kind: 'placer' | 'filler', value: string): Promise<string | null> {
    this.#check();
    return (this.store.statement(BOOKING_SQL.caseOfAppointment).pluck().get(kind, value) as string | undefined) ?? null;
  }
  async openCasesOfPatient(patientId: string): Promise<string[]> {
    this.#check();
    return this.store.statement(BOOKING_SQL.openCasesOfPatient).pluck().all(patientId) as string[];
  }
  async updatePatient(id: string, update: DemographicsUpdate) {
    this.#check();
    this.store.statement(SQL.updatePatient).run({ id, firstName: update.firstName, lastName: update.lastName, birthDate: update.birthDate, sex: update.sex ?? null });
  }
  async receiveMessage(incoming: InboxIncoming, receivedAt: string) {
    this.#check();
    const prior = this.store.statement(INBOX_SQL.ofKey).get(incoming.channel, incoming.sender, incoming.messageId) as { id: number; status: InboxStatus } | undefined;
    if (prior) return { id: prior.id, status: prior.status, duplicate: true };
    const id = Number(this.store.statement(INBOX_SQL.add).run({ ...incoming, receivedAt }).lastInsertRowid);
    return { id, status: 'received' as const, duplicate: false };
  }
  async inboxMessage(id: number): Promise<InboxRow | null> {
    this.#check();
    return inboxMessage(this.store, id);
  }
  async recordMessage(id: number, outcome: InboxOutcome) {
    this.#check();
    this.store.statement(INBOX_SQL.record).run({ ...outcome, id, params: outcome.params === null ? null : JSON.stringify(outcome.params) });
  }
  async machines(): Promise<Equipment[]> {
    this.#check();
    const json = this.store.statement(SQL.machines).pluck().get() as string | undefined;
    return json === undefined ? [] : (JSON.parse(json) as Equipment[]);
  }

  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    this.#check();
    // Two levels and no more: the group's transaction and the command's savepoint.
    if (this.#inSavepoint) throw new Error('a savepoint is already open in this transaction');
    const { sqlite } = this.store;
    this.store.statement(SQL.savepoint).run();
    this.#inSavepoint = true;
    try {
      const result = await work();
      this.store.statement(SQL.release).run();
      return result;
    } catch (error) {
      // A fatal error (disk full, I/O error) makes SQLite roll back the whole transaction.
      if (!sqlite.inTransaction) throw new TransactionAborted(error);
      this.store.statement(SQL.rollbackTo).run();
      this.store.statement(SQL.release).run();
      throw error;
    } finally {
      this.#inSavepoint = false;
    }
  }
}
