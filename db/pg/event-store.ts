import type pg from 'pg';
import { PROJECTION_VERSION, TERMINAL_STAGES, caseDevices, type CaseEvent, type CaseState, type DemographicsUpdate, type Equipment, type RoomView } from '../../shared';
import {
  TransactionAborted,
  type InboxIncoming,
  type InboxOutcome,
  type InboxRow,
  type InboxStatus,
  type InboxSummary,
  VersionConflict,
  appointmentNumbers,
  storedEventOf,
  type EventRowOf,
  type PatientRow,
  type RoomEvent,
  type Store,
  type StoreTransaction,
  type StoredAnswer,
  type StoredEvent,
  type Stream,
} from '../store';

/** The channel an append's transaction notifies, carrying the last seq it committed. */
export const EVENTS_CHANNEL = 'cryoday_events';

type EventRow = EventRowOf<unknown>;

const toStoredEvent = (row: EventRow): StoredEvent => storedEventOf(row, row.data);

const INBOX_COLUMNS = `id, channel, sender, message_id as "messageId", received_at as "receivedAt", charset, message_type as "messageType",
  status, rule, params, case_id as "caseId", applied_at as "appliedAt"`;

// Lists ordered by text columns say `collate "C"`: byte order, as SQLite's, whatever collation the
// hospital's database was created with, so both stores list a day (and the reports) in one order.
// Named statements are parsed and planned once per connection, as the SQLite store prepares its own.
const SQL = {
  append: {
    name: 'events_append',
    text: `insert into events (case_id, room_id, version, type, data, actor_id, actor_name, actor_role, occurred_at, recorded_at)
           values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10) returning seq`,
  },
  loadCase: { name: 'cases_load', text: 'select state from cases where id = $1' },
  insertCase: {
    name: 'cases_insert',
    text: `insert into cases (id, patient_id, day, scheduled_at, stage, room_id, version, state, projection_version, updated_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)`,
  },
  updateCase: {
    name: 'cases_update',
    text: `update cases set day = $2, scheduled_at = $3, stage = $4, room_id = $5, version = $6, state = $7::jsonb,
           projection_version = $8, updated_at = $9 where id = $1`,
  },
  rooms: { name: 'rooms_all', text: 'select id, name, status, case_id as "caseId", status_since as since from rooms order by sort_order, id' },
  setRoom: { name: 'rooms_set', text: 'update rooms set status = $2, case_id = $3, status_since = $4 where id = $1' },
  answerOf: { name: 'idempotency_get', text: 'select request_hash, status_code, body from idempotency where actor_id = $1 and key = $2' },
  remember: {
    name: 'idempotency_put',
    text: 'insert into idempotency (actor_id, key, request_hash, status_code, body, created_at) values ($1, $2, $3, $4, $5::jsonb, $6)',
  },
  patientOfMrn: {
    name: 'patients_by_mrn',
    text: 'select id, mrn, first_name as "firstName", last_name as "lastName", birth_date as "birthDate", sex, created_at as "createdAt" from patients where mrn = $1',
  },
  addPatient: {
    name: 'patients_insert',
    text: 'insert into patients (id, mrn, first_name, last_name, birth_date, sex, created_at) values ($1, $2, $3, $4, $5, $6, $7)',
  },
  updatePatient: {
    name: 'patients_update',
    text: 'update patients set first_name = $2, last_name = $3, birth_date = $4, sex = coalesce($5, sex) where id = $1',
  },
  addAppointment: {
    name: 'appointments_put',
    text: 'insert into case_appointments (kind, value, case_id) values ($1, $2, $3) on conflict (kind, value) do update set case_id = excluded.case_id',
  },
  caseOfAppointment: { name: 'appointments_case', text: 'select case_id from case_appointments where kind = $1 and value = $2' },
  openCasesOfPatient: {
    name: 'cases_open_of_patient',
    text: `select id from cases where patient_id = $1 and stage <> all($2::text[]) order by scheduled_at collate "C", id collate "C"`,
  },
  inboxRecent: { name: 'inbox_recent', text: `select ${INBOX_COLUMNS} from interface_messages order by id desc limit $1` },
  inboxRecentOfStatus: { name: 'inbox_recent_status', text: `select ${INBOX_COLUMNS} from interface_messages where status = $1 order by id desc limit $2` },
  inboxOne: { name: 'inbox_one', text: `select ${INBOX_COLUMNS}, raw from interface_messages where id = $1` },
  inboxPending: { name: 'inbox_pending', text: "select id from interface_messages where status = 'received' order by id" },
  // The unique (channel, sender, message_id) index is the guard beneath the log's lock every writer holds.
  inboxAdd: {
    name: 'inbox_add',
    text: `insert into interface_messages (channel, sender, message_id, received_at, raw, charset, message_type, status)
           values ($1, $2, $3, $4, $5, $6, $7, 'received') on conflict (channel, sender, message_id) do nothing returning id`,
  },
  inboxOfKey: { name: 'inbox_of_key', text: 'select id, status from interface_messages where channel = $1 and sender = $2 and message_id = $3' },
  inboxRecord: {
    name: 'inbox_record',
    text: `update interface_messages set status = $2, case_id = $3, rule = $4, params = $5::jsonb, applied_at = $6
           where id = $1 and status not in ('applied', 'duplicate')`,
  },
  machines: { name: 'equipment_current', text: 'select machines from unit_equipment order by seq desc limit 1' },
  since: { name: 'events_since', text: 'select * from events where seq > $1 order by seq limit $2' },
} as const;

type Queryable = pg.Pool | pg.PoolClient;

async function loadCase(on: Queryable, caseId: string): Promise<CaseState | null> {
  const { rows } = await on.query<{ state: CaseState }>({ ...SQL.loadCase, values: [caseId] });
  return rows[0]?.state ?? null;
}

async function rooms(on: Queryable): Promise<Required<RoomView>[]> {
  return (await on.query<Required<RoomView>>(SQL.rooms)).rows;
}

// PostgreSQL's text cannot hold U+0000, which a hostile or broken sender may put in a message SQLite
// would store: it is kept as U+FFFD, so the message is stored (and judged) rather than failing the write.
const withoutNul = (text: string) => text.replaceAll('\u0000', '\uFFFD');

async function inboxMessage(on: Queryable, id: number): Promise<InboxRow | null> {
  const { rows } = await on.query<InboxRow>({ ...SQL.inboxOne, values: [id] });
  return rows[0] ?? null;
}

/** Every case's events, one case after the other, each in version order, read a page at a time. */
async function* caseStreams(on: Queryable): AsyncGenerator<{ caseId: string; events: StoredEvent[] }> {
  const page = 1000;
  let after: [string, number] = ['', -1];
  let current: { caseId: string; events: StoredEvent[] } | null = null;
  for (;;) {
    const result: pg.QueryResult<EventRow> = await on.query<EventRow>(
      'select * from events where case_id is not null and (case_id, version) > ($1, $2) order by case_id, version limit $3',
      [after[0], after[1], page],
    );
    for (const row of result.rows) {
      if (current === null || current.caseId !== row.case_id) {
        if (current) yield current;
        current = { caseId: row.case_id!, events: [] };
      }
      current.events.push(toStoredEvent(row));
    }
    const last = result.rows[result.rows.length - 1];
    if (!last || result.rows.length < page) break;
    after = [last.case_id!, last.version!];
  }
  if (current) yield current;
}

class PgTransaction implements StoreTransaction {
  /** The highest seq this transaction appended, for the notification its commit sends. */
  lastSeq = 0;
  #savepoints = 0;

  constructor(private readonly client: pg.PoolClient) {}

  loadCase(caseId: string) {
    return loadCase(this.client, caseId);
  }

  rooms() {
    return rooms(this.client);
  }

  async append(stream: Stream, event: CaseEvent | RoomEvent): Promise<StoredEvent> {
    const caseStream = 'caseId' in stream;
    const caseId = caseStream ? stream.caseId : null;
    const roomId = caseStream ? null : stream.roomId;
    const version = caseStream ? stream.version : null;
    const values = [caseId, roomId, version, event.type, JSON.stringify(event.data), event.actor.id, event.actor.name, event.actor.role, event.occurredAt, event.recordedAt];
    try {
      const { rows } = await this.client.query<{ seq: number }>({ ...SQL.append, values });
      const seq = rows[0]!.seq;
      this.lastSeq = Math.max(this.lastSeq, seq);
      return { seq, caseId, roomId, version, event };
    } catch (error) {
      const pgError = error as { code?: string; constraint?: string };
      if (caseStream && pgError.code === '23505' && pgError.constraint === 'events_case_version_uq') {
        throw new VersionConflict(stream.caseId, stream.version);
      }
      throw error;
    }
  }

  async saveCase(state: CaseState, day: string, patientId: string | null, now: string) {
    const json = JSON.stringify(state);
    if (patientId) {
      await this.client.query({
        ...SQL.insertCase,
        values: [state.id, patientId, day, state.scheduledAt, state.stage, state.roomId, state.version, json, PROJECTION_VERSION, now],
      });
      await this.saveAppointments(state);
    } else {
      await this.client.query({
        ...SQL.updateCase,
        values: [state.id, day, state.scheduledAt, state.stage, state.roomId, state.version, json, PROJECTION_VERSION, now],
      });
    }
  }

  async saveAppointments(state: CaseState) {
    for (const { kind, value } of appointmentNumbers(state)) await this.client.query({ ...SQL.addAppointment, values: [kind, value, state.id] });
  }

  async saveDevices(state: CaseState) {
    await this.client.query('delete from case_devices where case_id = $1', [state.id]);
    for (const [position, d] of caseDevices(state).entries()) {
      await this.client.query(
        'insert into case_devices (case_id, position, kind, gtin, lot, serial, expiry, at) values ($1, $2, $3, $4, $5, $6, $7, $8)',
        [state.id, position, d.kind, d.gtin ?? null, d.lot ?? null, d.serial ?? null, d.expiry ?? null, d.at],
      );
    }
  }

  async setRoomStatus(roomId: string, status: RoomView['status'], caseId: string | null, since: string) {
    await this.client.query({ ...SQL.setRoom, values: [roomId, status, caseId, since] });
  }

  async answerOf(actorId: string, key: string): Promise<StoredAnswer | null> {
    const { rows } = await this.client.query<{ request_hash: string; status_code: number; body: unknown }>({ ...SQL.answerOf, values: [actorId, key] });
    const row = rows[0];
    return row ? { requestHash: row.request_hash, statusCode: row.status_code, body: row.body } : null;
  }

  async rememberAnswer(actorId: string, key: string, answer: StoredAnswer, now: string) {
    await this.client.query({ ...SQL.remember, values: [actorId, key, answer.requestHash, answer.statusCode, JSON.stringify(answer.body), now] });
  }

  async patientOfMrn(mrn: string): Promise<PatientRow | null> {
    const { rows } = await this.client.query<PatientRow>({ ...SQL.patientOfMrn, values: [mrn] });
    return rows[0] ?? null;
  }

  async addPatient(p: PatientRow) {
    await this.client.query({ ...SQL.addPatient, values: [p.id, p.mrn, p.firstName, p.lastName, p.birthDate, p.sex, p.createdAt] });
  }

  async caseOfAppointment(kind: 'placer' | 'filler', value: string): Promise<string | null> {
    const { rows } = await this.client.query<{ case_id: string }>({ ...SQL.caseOfAppointment, values: [kind, value] });
    return rows[0]?.case_id ?? null;
  }

  async openCasesOfPatient(patientId: string): Promise<string[]> {
    const { rows } = await this.client.query<{ id: string }>({ ...SQL.openCasesOfPatient, values: [patientId, TERMINAL_STAGES] });
    return rows.map((r) => r.id);
  }

  async updatePatient(id: string, update: DemographicsUpdate) {
    await this.client.query({ ...SQL.updatePatient, values: [id, update.firstName, update.lastName, update.birthDate, update.sex ?? null] });
  }

  async receiveMessage(incoming: InboxIncoming, receivedAt: string) {
    const key = [incoming.channel, withoutNul(incoming.sender), withoutNul(incoming.messageId)];
    const added = await this.client.query<{ id: number }>({
      ...SQL.inboxAdd,
      values: [...key, receivedAt, withoutNul(incoming.raw), withoutNul(incoming.charset), withoutNul(incoming.messageType)],
    });
    if (added.rows[0]) return { id: added.rows[0].id, status: 'received' as const, duplicate: false };
    const { rows } = await this.client.query<{ id: number; status: InboxStatus }>({ ...SQL.inboxOfKey, values: key });
    return { id: rows[0]!.id, status: rows[0]!.status, duplicate: true };
  }

  inboxMessage(id: number) {
    return inboxMessage(this.client, id);
  }

  async recordMessage(id: number, o: InboxOutcome) {
    await this.client.query({ ...SQL.inboxRecord, values: [id, o.status, o.caseId, o.rule, o.params === null ? null : JSON.stringify(o.params), o.appliedAt] });
  }

  async machines(): Promise<Equipment[]> {
    const { rows } = await this.client.query<{ machines: Equipment[] }>(SQL.machines);
    return rows[0]?.machines ?? [];
  }

  caseStreams() {
    return caseStreams(this.client);
  }

  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    const name = `command_${++this.#savepoints}`;
    const lastSeq = this.lastSeq;
    await this.client.query(`savepoint ${name}`);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      try {
        await this.client.query(`rollback to savepoint ${name}; release savepoint ${name}`);
      } catch {
        // The connection is gone (or the server ended the transaction): the group cannot go on.
        throw new TransactionAborted(error);
      }
      this.lastSeq = lastSeq;
      throw error;
    }
    await this.client.query(`release savepoint ${name}`);
    return result;
  }
}

/**
 * The event log and the projections on PostgreSQL, for several app instances on one database. A
 * write is one transaction that locks the log's head row first (events_lock_log, migration
 * events_seq_and_append_only), so instances decide and commit one after another, each seeing what the
 * previous committed: seq has no hole and readers see it grow in order. Its commit notifies
 * EVENTS_CHANNEL with the last seq, which every instance's PgEventFeed follows.
 */
export class PgEventStore implements Store {
  constructor(private readonly pool: pg.Pool) {}

  async transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    // The pool listens for errors only on idle connections: one that dies while checked out (the
    // server ending an idle transaction, a failover) would otherwise end the process.
    const lost = () => {
      broken = true;
    };
    client.on('error', lost);
    try {
      // Every other writer waits from here to our commit: each round trip inside costs them all, so
      // the opening and the closing statements travel two by two.
      await client.query('begin isolation level read committed; select events_lock_log()');
      const tx = new PgTransaction(client);
      const result = await work(tx);
      // The notification is queued in the transaction and sent by PostgreSQL at its commit, never
      // without it: a crash between commit and notify cannot lose it, a rollback announces nothing.
      const replies = (await client.query(
        tx.lastSeq > 0 ? `select pg_notify('${EVENTS_CHANNEL}', '${tx.lastSeq}'); commit` : 'commit',
      )) as pg.QueryResult | pg.QueryResult[];
      const commit = Array.isArray(replies) ? replies[replies.length - 1]! : replies;
      // COMMIT of a transaction an error aborted answers ROLLBACK, not an error: nothing was stored.
      if (commit.command !== 'COMMIT') throw new Error('the transaction was rolled back');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.off('error', lost);
      client.release(broken);
    }
  }

  loadCase(caseId: string) {
    return loadCase(this.pool, caseId);
  }

  rooms() {
    return rooms(this.pool);
  }

  async casesOfDay(day: string): Promise<CaseState[]> {
    const { rows } = await this.pool.query<{ state: CaseState }>('select state from cases where day = $1 order by scheduled_at collate "C", id collate "C"', [day]);
    return rows.map((r) => r.state);
  }

  async caseJsonOfDay(day: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ state: string }>('select state::text as state from cases where day = $1 order by scheduled_at collate "C", id collate "C"', [day]);
    return rows.map((r) => r.state);
  }

  async timeline(caseId: string): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>('select * from events where case_id = $1 order by version', [caseId]);
    return rows.map(toStoredEvent);
  }

  async eventsSince(seq: number, limit: number): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>({ ...SQL.since, values: [seq, limit] });
    return rows.map(toStoredEvent);
  }

  async latestEvents(limit: number): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>('select * from events order by seq desc limit $1', [limit]);
    return rows.map(toStoredEvent).reverse();
  }

  async lastSeq(): Promise<number> {
    const { rows } = await this.pool.query<{ seq: number }>('select coalesce(max(seq), 0)::int8 as seq from events');
    return rows[0]!.seq;
  }

  async recordedAt(seq: number): Promise<string | null> {
    const { rows } = await this.pool.query<{ recorded_at: string }>('select recorded_at from events where seq = $1', [seq]);
    return rows[0]?.recorded_at ?? null;
  }

  async dischargedInRange(from: string, to: string): Promise<CaseState[]> {
    const { rows } = await this.pool.query<{ state: CaseState }>(
      `select state from cases where day >= $1 and day <= $2 and stage = 'discharged' order by day collate "C", scheduled_at collate "C", id collate "C"`,
      [from, to],
    );
    return rows.map((r) => r.state);
  }

  async roomReadies(start: string, end: string): Promise<{ roomId: string; at: string }[]> {
    const { rows } = await this.pool.query<{ roomId: string; at: string }>(
      `select room_id as "roomId", occurred_at as at from events
       where type = 'RoomReady' and room_id is not null and occurred_at >= $1 and occurred_at < $2 order by occurred_at`,
      [start, end],
    );
    return rows;
  }

  async staleCaseCount(): Promise<number> {
    const { rows } = await this.pool.query<{ count: number }>('select count(*) as count from cases where projection_version <> $1', [PROJECTION_VERSION]);
    return rows[0]!.count;
  }

  /** Walks the (case_id, version) unique index a page at a time, so a year of log never sits in memory at once. */
  caseStreams() {
    return caseStreams(this.pool);
  }

  async inboxMessages(options: { limit: number; status?: InboxStatus }): Promise<InboxSummary[]> {
    const query = options.status ? { ...SQL.inboxRecentOfStatus, values: [options.status, options.limit] } : { ...SQL.inboxRecent, values: [options.limit] };
    return (await this.pool.query<InboxSummary>(query)).rows;
  }

  inboxMessage(id: number) {
    return inboxMessage(this.pool, id);
  }

  async pendingMessages(): Promise<number[]> {
    return (await this.pool.query<{ id: number }>(SQL.inboxPending)).rows.map((r) => r.id);
  }

  async close() {
    await this.pool.end();
  }
}
