import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { PROJECTION_VERSION, caseDevices, type CaseEvent, type CaseState, type Equipment, type RoomView } from '../../shared';
import { EVENTS_CHANNEL } from '../../db/pg/event-store';
import { appointmentNumbers, type InboxRow, type InboxStatus, type PatientRow, type RoomEvent, type StoreTransaction, type StoredAnswer, type StoredEvent, type Stream } from '../../db/store';
import { PgAccounts } from '../auth/pg-accounts';
import { syncPgRooms } from '../plugins/rooms';
import { PgUnitStore } from '../unit/unit-store';
import { DEMO_EQUIPMENT } from './demo-day';
import { HISTORY_ROLES, type HistoryActors, type HistoryTarget } from './history-seed';

// The state kept as its JSON text: parsed again at each load (a fresh object, as from the database), and
// sent as is at the flush, inside its row of the recordset.
type CaseRow = { json: string; row: string; patientId: string | null };
type EventRow = { caseId: string | null; roomId: string | null; version: number | null; event: CaseEvent | RoomEvent };

/**
 * One day of a seeded history, decided in memory and written in a few multi-row statements. The
 * commands run through the same execute path as on SQLite, against this transaction: it answers
 * from what the day has written so far, and from the database for what earlier days committed. The
 * store's own transaction pays several round trips per command; a year is about 250,000 commands, and
 * this way a few hundred transactions (the writes were about a fifth of a seeding's time here).
 */
class DayBuffer implements StoreTransaction {
  readonly events: EventRow[] = [];
  readonly cases = new Map<string, CaseRow>();
  readonly devices = new Map<string, ReturnType<typeof caseDevices>>();
  readonly patients = new Map<string, PatientRow>();
  readonly answers: { actorId: string; key: string; answer: StoredAnswer; now: string }[] = [];
  readonly roomsTouched = new Set<string>();
  readonly appointments: { kind: 'placer' | 'filler'; value: string; caseId: string }[] = [];
  readonly #created = new Set<string>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly roomList: Required<RoomView>[],
    private readonly machineList: Equipment[],
    private seq: number,
  ) {}

  async loadCase(caseId: string): Promise<CaseState | null> {
    const written = this.cases.get(caseId);
    if (written) return JSON.parse(written.json) as CaseState;
    const { rows } = await this.pool.query<{ state: CaseState }>('select state from cases where id = $1', [caseId]);
    return rows[0]?.state ?? null;
  }
  async rooms() {
    return this.roomList.map((room) => ({ ...room }));
  }
  async append(stream: Stream, event: CaseEvent | RoomEvent): Promise<StoredEvent> {
    const caseId = 'caseId' in stream ? stream.caseId : null;
    const roomId = 'caseId' in stream ? null : stream.roomId;
    const version = 'caseId' in stream ? stream.version : null;
    this.events.push({ caseId, roomId, version, event });
    // The trigger numbers the rows from the head in this order, so these are their seqs while nothing else
    // writes; only the publications read them, and a seeding sends none.
    return { seq: ++this.seq, caseId, roomId, version, event };
  }
  async saveCase(state: CaseState, day: string, patientId: string | null, now: string) {
    const before = this.cases.get(state.id);
    // Booked today (its first save gives a patient): its row is inserted at the flush, not updated.
    if (patientId !== null && !before) {
      this.#created.add(state.id);
      await this.saveAppointments(state);
    }
    const json = JSON.stringify(state);
    const owner = patientId ?? before?.patientId ?? null;
    const columns = { id: state.id, patientId: owner, day, scheduledAt: state.scheduledAt, stage: state.stage, roomId: state.roomId, version: state.version, now };
    this.cases.set(state.id, { json, row: `${JSON.stringify(columns).slice(0, -1)},"state":${json}}`, patientId: owner });
  }
  async saveDevices(state: CaseState) {
    this.devices.set(state.id, caseDevices(state));
  }
  async saveAppointments(state: CaseState) {
    for (const number of appointmentNumbers(state)) this.appointments.push({ ...number, caseId: state.id });
  }
  async setRoomStatus(roomId: string, status: RoomView['status'], caseId: string | null, since: string) {
    const room = this.roomList.find((r) => r.id === roomId);
    if (room) Object.assign(room, { status, caseId, since });
    this.roomsTouched.add(roomId);
  }
  async answerOf(actorId: string, key: string): Promise<StoredAnswer | null> {
    return this.answers.find((a) => a.actorId === actorId && a.key === key)?.answer ?? null;
  }
  async rememberAnswer(actorId: string, key: string, answer: StoredAnswer, now: string) {
    this.answers.push({ actorId, key, answer, now });
  }
  async patientOfMrn(mrn: string): Promise<PatientRow | null> {
    const written = [...this.patients.values()].find((p) => p.mrn === mrn);
    if (written) return written;
    const { rows } = await this.pool.query<PatientRow>(
      'select id, mrn, first_name as "firstName", last_name as "lastName", birth_date as "birthDate", sex, created_at as "createdAt" from patients where mrn = $1',
      [mrn],
    );
    return rows[0] ?? null;
  }
  async addPatient(patient: PatientRow) {
    this.patients.set(patient.id, patient);
  }
  async machines() {
    return this.machineList;
  }
  caseStreams(): AsyncGenerator<{ caseId: string; events: StoredEvent[] }> {
    throw new Error('a seeded day reads no case streams');
  }
  async caseOfAppointment(kind: 'placer' | 'filler', value: string): Promise<string | null> {
    const written = this.appointments.findLast((a) => a.kind === kind && a.value === value);
    if (written) return written.caseId;
    const { rows } = await this.pool.query<{ case_id: string }>('select case_id from case_appointments where kind = $1 and value = $2', [kind, value]);
    return rows[0]?.case_id ?? null;
  }
  // The hospital's interfaces send none of a seeded history's commands.
  openCasesOfPatient(): Promise<string[]> {
    throw new Error('a seeded history updates no demographics');
  }
  updatePatient(): Promise<void> {
    throw new Error('a seeded history updates no demographics');
  }
  receiveMessage(): Promise<{ id: number; status: InboxStatus; duplicate: boolean }> {
    throw new Error('a seeded history receives no interface message');
  }
  inboxMessage(): Promise<InboxRow | null> {
    throw new Error('a seeded history receives no interface message');
  }
  recordMessage(): Promise<void> {
    throw new Error('a seeded history receives no interface message');
  }
  savepoint<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  /** Everything the day wrote, in one transaction holding the log's head, as the store's own writes hold it. */
  async flush(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('begin isolation level read committed; select events_lock_log()');
      const json = (rows: unknown[]) => JSON.stringify(rows);
      if (this.patients.size > 0) {
        await client.query(
          `insert into patients (id, mrn, first_name, last_name, birth_date, sex, created_at)
           select id, mrn, "firstName", "lastName", "birthDate", sex, "createdAt"
           from jsonb_to_recordset($1::jsonb) as p(id text, mrn text, "firstName" text, "lastName" text, "birthDate" text, sex text, "createdAt" text)`,
          [json([...this.patients.values()])],
        );
      }
      const rows = [...this.cases].map(([id, { row }]) => ({ id, text: row }));
      const fresh = rows.filter((r) => this.#created.has(r.id));
      const known = rows.filter((r) => !this.#created.has(r.id));
      const texts = (list: typeof rows) => `[${list.map((r) => r.text).join(',')}]`;
      const recordset = `jsonb_to_recordset($1::jsonb) as c(id text, "patientId" text, day text, "scheduledAt" text, stage text, "roomId" text, version int, state jsonb, now text)`;
      if (fresh.length > 0) {
        await client.query(
          `insert into cases (id, patient_id, day, scheduled_at, stage, room_id, version, state, projection_version, updated_at)
           select id, "patientId", day, "scheduledAt", stage, "roomId", version, state, $2, now from ${recordset}`,
          [texts(fresh), PROJECTION_VERSION],
        );
      }
      if (known.length > 0) {
        await client.query(
          `update cases set day = c.day, scheduled_at = c."scheduledAt", stage = c.stage, room_id = c."roomId", version = c.version,
             state = c.state, projection_version = $2, updated_at = c.now
           from ${recordset} where cases.id = c.id and cases.id = any($3::text[])`,
          // The id list lets the planner reach the few rows by their key rather than scan a year of cases.
          [texts(known), PROJECTION_VERSION, known.map((r) => r.id)],
        );
      }
      if (this.appointments.length > 0) {
        for (const { kind, value, caseId } of this.appointments) {
          await client.query('insert into case_appointments (kind, value, case_id) values ($1, $2, $3) on conflict (kind, value) do update set case_id = excluded.case_id', [kind, value, caseId]);
        }
      }
      if (this.events.length > 0) {
        await client.query(
          `insert into events (case_id, room_id, version, type, data, actor_id, actor_name, actor_role, occurred_at, recorded_at)
           select e->>'caseId', e->>'roomId', (e->>'version')::int, e->'event'->>'type', e->'event'->'data', e->'event'->'actor'->>'id',
             e->'event'->'actor'->>'name', e->'event'->'actor'->>'role', e->'event'->>'occurredAt', e->'event'->>'recordedAt'
           from jsonb_array_elements($1::jsonb) with ordinality as x(e, n) order by n`,
          [json(this.events)],
        );
      }
      if (this.devices.size > 0) {
        await client.query('delete from case_devices where case_id = any($1::text[])', [[...this.devices.keys()]]);
        const devices = [...this.devices].flatMap(([caseId, list]) =>
          list.map((d, position) => ({ caseId, position, kind: d.kind, gtin: d.gtin ?? null, lot: d.lot ?? null, serial: d.serial ?? null, expiry: d.expiry ?? null, at: d.at })),
        );
        if (devices.length > 0) {
          await client.query(
            `insert into case_devices (case_id, position, kind, gtin, lot, serial, expiry, at)
             select "caseId", position, kind, gtin, lot, serial, expiry, at
             from jsonb_to_recordset($1::jsonb) as d("caseId" text, position int, kind text, gtin text, lot text, serial text, expiry text, at text)`,
            [json(devices)],
          );
        }
      }
      for (const roomId of this.roomsTouched) {
        const room = this.roomList.find((r) => r.id === roomId)!;
        await client.query('update rooms set status = $2, case_id = $3, status_since = $4 where id = $1', [room.id, room.status, room.caseId, room.since]);
      }
      for (const { actorId, key, answer, now } of this.answers) {
        await client.query('insert into idempotency (actor_id, key, request_hash, status_code, body, created_at) values ($1, $2, $3, $4, $5::jsonb, $6)', [
          actorId, key, answer.requestHash, answer.statusCode, JSON.stringify(answer.body), now,
        ]);
      }
      const commit = (await client.query(`select pg_notify('${EVENTS_CHANNEL}', '${this.seq}'); commit`)) as unknown as pg.QueryResult[];
      if (commit[commit.length - 1]!.command !== 'COMMIT') throw new Error('the day was rolled back');
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}

/**
 * The history target on PostgreSQL: the same days, cases and events as on SQLite (the same plan and
 * commands, through the same execute path), each day written in one transaction of a few multi-row
 * statements.
 */
export function pgHistoryTarget(pool: pg.Pool): HistoryTarget {
  let rooms: Required<RoomView>[] = [];
  let machines: Equipment[] = [];
  return {
    async caseCount() {
      return (await pool.query<{ n: number }>('select count(*)::int as n from cases')).rows[0]!.n;
    },
    async prepare(roomNames, firstInstant) {
      await syncPgRooms(pool, roomNames, firstInstant.toISOString());
      const accounts = new PgAccounts(pool);
      const actors = {} as HistoryActors;
      for (const role of HISTORY_ROLES) {
        const { rows } = await pool.query<{ id: string; displayName: string }>(
          'select id, display_name as "displayName" from staff where role = $1 and active order by created_at, id limit 1',
          [role],
        );
        const account =
          rows[0] ??
          (await accounts.createStaff({ username: `history-${role}`, displayName: `History ${role}`, role, password: randomBytes(24).toString('base64url') }, { now: firstInstant }));
        actors[role] = { id: account.id, name: account.displayName, role };
      }
      const unit = new PgUnitStore(pool);
      if ((await unit.equipment()).machines.length === 0) await unit.saveEquipment(DEMO_EQUIPMENT, { id: actors.admin.id, username: 'history' }, firstInstant);
      machines = (await unit.equipment()).machines;
      return actors;
    },
    async roomIds() {
      rooms = (
        await pool.query<Required<RoomView>>('select id, name, status, case_id as "caseId", status_since as since from rooms order by sort_order, id')
      ).rows;
      return rooms.map((r) => r.id);
    },
    async runDay(works) {
      const head = (await pool.query<{ seq: number }>('select seq from event_log_head')).rows[0]!.seq;
      const buffer = new DayBuffer(pool, rooms, machines, head);
      const outcomes: PromiseSettledResult<void>[] = [];
      for (const work of works) {
        // Without savepoints, a refused command may have left half its writes: nothing of the day is stored then.
        if (outcomes.some((o) => o.status === 'rejected')) {
          outcomes.push({ status: 'rejected', reason: new Error('not run: an earlier command of the day was refused') });
          continue;
        }
        try {
          outcomes.push({ status: 'fulfilled', value: await work(buffer) });
        } catch (reason) {
          outcomes.push({ status: 'rejected', reason });
        }
      }
      if (outcomes.every((o) => o.status === 'fulfilled')) await buffer.flush();
      return outcomes;
    },
  };
}
