import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Connection } from '../../db/connection';
import { openPostgres, type PgConnection } from '../../db/pg/connection';
import type { Store } from '../../db/store';
import { executeCaseCommand, executeRoomReady, scheduleCase, type ExecuteContext } from '../../server/cases/execute';
import { GroupCommit } from '../../server/cases/group-commit';
import { syncRooms } from '../../server/plugins/rooms';
import { CASE_PAGE_SQL, FULL_STATE, PgReports, SLIM_STATE } from '../../server/reports/pg-reports';
import { JOBS, readConnection } from '../../server/workers/jobs';
import { REPORT_WORKER_APPLICATION } from '../../server/workers/protocol';
import { WorkerPool, parseJson } from '../../server/workers/pool';
import { DEFAULT_SETTINGS, dayOf, type Actor, type CaseState, type CommandBody } from '../../shared';
import { Api, newCaseBody } from '../support/api';
import { lastNoon, minutesAgo, wholeDay } from '../support/day';
import { describePostgres, newDatabase } from '../support/pg';
import { removeDir, startServer, type TestServer } from '../support/server';
import { preparePostgres } from './app-fixtures';

const ROOMS = ['Salle 1', 'Salle 2'];
const ZONE = DEFAULT_SETTINGS.timeZone;
const actors = {
  nurse: { id: 'staff-nurse', name: 'Inès Martin', role: 'nurse' },
  radiologist: { id: 'staff-radiologist', name: 'Dr Roche', role: 'radiologist' },
  coordinator: { id: 'staff-coordinator', name: 'Julie Caron', role: 'coordinator' },
} satisfies Record<string, Actor>;
// Three cases on one day, each booked earlier than the one before: the exports list them by booked time, not by id or by when they were written.
const DAYS_BACK = [9, 5, 5, 5, 1];
const SCANNER = 'Siemens Somatom go.Up';
const MACHINES = JSON.stringify([{ name: SCANNER, modality: 'ct', roomId: 'room-1' }, { name: 'Second scanner', modality: 'ct', roomId: 'room-2' }]);

function commandsOf(store: Store) {
  const group = new GroupCommit(store);
  return (actor: Actor, now: Date, work: (ctx: ExecuteContext) => Promise<unknown>) =>
    group.run((tx) => work({ settings: DEFAULT_SETTINGS, labelMode: 'initials', actor, now, tx }) as never) as Promise<{ body: { case: CaseState } }>;
}

/**
 * The same small history on a store: on each of three days, cases booked at different times (so both
 * stores list them in one order), each through a whole procedure in its room, one cancelled, the rooms released.
 */
async function playHistory(store: Store, base: number): Promise<string[]> {
  const send = commandsOf(store);
  const ids: string[] = [];
  for (const [n, daysBack] of DAYS_BACK.entries()) {
    const now = base - daysBack * 86_400_000 - n * 7 * 60_000;
    const roomId = `room-${(n % 2) + 1}`;
    const booked = await send(actors.coordinator, new Date(now - 180 * 60_000), (ctx) =>
      scheduleCase(ctx, {
        ...newCaseBody({ plannedRoomId: roomId, patient: { firstName: `Prénom${n}`, lastName: `Nom-${n}; "x"`, mrn: `MRN-R-${n}`, birthDate: '1950-01-0' + (n + 1) } }),
        scheduledAt: new Date(now - 150 * 60_000).toISOString(),
      } as never),
    );
    let version = booked.body.case.version;
    const id = booked.body.case.id;
    ids.push(id);
    if (n === 2) {
      await send(actors.coordinator, new Date(now), (ctx) => executeCaseCommand(ctx, id, { type: 'cancel', expectedVersion: version, reason: 'no_show', note: '=absent' } as CommandBody));
      continue;
    }
    // CT-guided, so that each act has a dose to report.
    const steps = wholeDay(roomId, minutesAgo(now)).map(([who, c]): [keyof typeof actors, Record<string, unknown>] => [who, c.type === 'position_probe' ? { ...c, guidance: 'ct' } : c]);
    steps.splice(steps.findIndex(([, c]) => c.type === 'confirm_sign_out'), 0, ['radiologist', { type: 'record_dose', modality: 'ct', equipment: SCANNER, dlpMgyCm: 300 + n * 7.5, ctdiVolMgy: 9 + n, occurredAt: minutesAgo(now)(78) }]);
    for (const [who, command] of steps) {
      const answer = await send(actors[who], new Date(now), (ctx) => executeCaseCommand(ctx, id, { ...command, expectedVersion: version } as CommandBody));
      version = answer.body.case.version;
    }
    await send(actors.nurse, new Date(now), (ctx) => executeRoomReady(ctx, roomId) as never);
  }
  return ids;
}

const text = async (stream: Readable | AsyncIterable<string>) => {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
};
const named = (value: string, ids: string[]) => ids.reduce((s, id, i) => s.replaceAll(id, `case-${i + 1}`), value);

describePostgres('range reports and exports on PostgreSQL', () => {
  let dir: string;
  let sqlite: Connection;
  let postgres: PgConnection;
  let url: string;
  let sqliteIds: string[];
  let pgIds: string[];
  // A day's commands back-dated up to three hours: on one unit day whatever the hour (support/day.ts).
  const base = lastNoon();
  const from = dayOf(new Date(base - 12 * 86_400_000).toISOString(), ZONE);
  const to = dayOf(new Date(base).toISOString(), ZONE);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cryoday-pg-reports-'));
    sqlite = openDatabase(join(dir, 'cryoday.sqlite'));
    const roomsAt = new Date(base - 30 * 86_400_000).toISOString();
    syncRooms(sqlite.db, ROOMS, roomsAt);
    sqlite.sqlite.prepare('insert into unit_equipment (at, actor_id, actor, machines) values (?, ?, ?, ?)').run(roomsAt, 'staff-admin', 'admin', MACHINES);
    url = await newDatabase('pg_reports');
    await preparePostgres(url);
    postgres = await openPostgres(url, { max: 4 });
    await postgres.pool.query('insert into unit_equipment (at, actor_id, actor, machines) values ($1, $2, $3, $4::jsonb)', [roomsAt, 'staff-admin', 'admin', MACHINES]);
    for (const [i, name] of ROOMS.entries()) {
      await postgres.pool.query("insert into rooms (id, name, sort_order, status, status_since) values ($1, $2, $3, 'free', $4)", [`room-${i + 1}`, name, i, roomsAt]);
    }
    sqliteIds = await playHistory(sqlite.sqliteStore, base);
    pgIds = await playHistory(postgres.store, base);
  });
  afterAll(async () => {
    await postgres?.close();
    sqlite?.close();
    if (dir) removeDir(dir);
  });

  // Pages of one case: every page boundary of the history is crossed.
  const reportsOf = () => new PgReports(postgres.pool, postgres.store, { pageSize: 1 });
  const onSqlite = () => readConnection(sqlite.sqlite);

  it('given the same history on both stores, then cases.csv and freeze-cycles.csv are the same bytes, in both languages', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const args = { from, to, timeZone: ZONE, lang };
      const cases = [...JOBS.casesCsv.run(onSqlite(), args)].join('');
      const cycles = [...JOBS.cyclesCsv.run(onSqlite(), args)].join('');
      expect(cases.split('\r\n').length).toBe(DAYS_BACK.length + 2);
      expect(cycles.split('\r\n').length).toBe(DAYS_BACK.length - 1 + 2);
      expect(cases.split('\r\n').slice(1, -1).map((line) => line.split(';')[3])).toEqual(['MRN-R-0', 'MRN-R-3', 'MRN-R-2', 'MRN-R-1', 'MRN-R-4']);
      expect(named(await text(await reportsOf().casesCsv(args)), pgIds)).toBe(named(cases, sqliteIds));
      expect(named(await text(await reportsOf().cyclesCsv(args)), pgIds)).toBe(named(cycles, sqliteIds));
    }
  });

  it('given the same history on both stores, then the range report and the dose report are the same, field for field', async () => {
    for (const groupBy of ['day', 'week', 'month'] as const) {
      const query = { from, to, groupBy, timeZone: ZONE, now: new Date(base).toISOString() };
      const expected = JOBS.rangeReport.run(onSqlite(), query);
      expect(expected.total).toMatchObject({ scheduled: 5, performed: 4, cancelled: 1 });
      expect(expected.total.turnover.n).toBe(4);
      expect(await reportsOf().rangeReport(query)).toEqual(expected);
    }
    const doses = JOBS.doseReport.run(onSqlite(), { from, to });
    expect(doses.acts.map((a) => a.figures.dlpMgyCm)).toEqual([300, 322.5, 307.5, 330]);
    expect(doses.months.length).toBeGreaterThan(0);
    expect(JSON.parse(named(JSON.stringify(await reportsOf().doseReport(from, to)), pgIds))).toEqual(JSON.parse(named(JSON.stringify(doses), sqliteIds)));
  });

  it('reads each page as a range of cases_range_order_idx, never a sort of the whole range', async () => {
    const client = await postgres.pool.connect();
    try {
      // With a few rows any plan is cheap: the planner is told to avoid the sequential scan, as a year's table would.
      await client.query('begin; set local enable_seqscan = off');
      for (const state of [FULL_STATE, SLIM_STATE]) {
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain ${CASE_PAGE_SQL(state)}`, [from, to, '2026-01-01', '', '', 100]);
        const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toContain('Index Only Scan using cases_range_order_idx');
        // The page's hundred rows are put back in order; the range itself is never sorted.
        expect(plan.split('\n').filter((line) => /Sort Key:/.test(line) && !/Sort Key: c\.day/.test(line))).toEqual([]);
        expect(plan).toMatch(/Index Cond: .*ROW\(/);
      }
    } finally {
      await client.query('rollback');
      client.release();
    }
  });

  const workerConnections = async () =>
    (
      await postgres.pool.query<{ n: number }>('select count(*) as n from pg_stat_activity where application_name = $1 and datname = current_database()', [
        REPORT_WORKER_APPLICATION,
      ])
    ).rows[0]!.n;

  it('given a report worker on PostgreSQL, then it reads through connections of its own, the same bytes, and ends them when it is stopped idle', async () => {
    const pool = new WorkerPool({ databasePath: '', databaseUrl: url, size: 1, maxQueued: 0, chunkChars: 16, idleMs: 300 });
    try {
      expect(await workerConnections()).toBe(0);
      const args = { from, to, timeZone: ZONE, lang: 'fr' } as const;
      expect(named(await text(await pool.stream('casesCsv', args)), pgIds)).toBe(named([...JOBS.casesCsv.run(onSqlite(), args)].join(''), sqliteIds));
      const query = { from, to, groupBy: 'week' as const, timeZone: ZONE, now: new Date(base).toISOString() };
      expect(parseJson(await pool.answer('rangeReport', query))).toEqual(JOBS.rangeReport.run(onSqlite(), query));
      // The main thread's pool of this test holds no connection of that name: the worker read the range.
      expect(await workerConnections()).toBeGreaterThan(0);
      const deadline = Date.now() + 10_000;
      while ((await workerConnections()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(pool.workers).toBe(0);
      expect(await workerConnections()).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('given more reads at once than the pool allows, then one more is refused 503 server_busy and a finished one frees its place', async () => {
    const pool = new WorkerPool({ databasePath: '', databaseUrl: url, size: 1, maxQueued: 0, chunkChars: 16 });
    try {
      // Chunks of 16 characters: the held stream stops after its first one until it is read.
      const held = await pool.stream('cyclesCsv', { from, to, timeZone: ZONE, lang: 'fr' });
      await expect(pool.answer('rangeReport', { from, to, groupBy: 'month', timeZone: ZONE, now: new Date(base).toISOString() })).rejects.toMatchObject({ status: 503, code: 'server_busy' });
      await text(held);
      expect(parseJson(await pool.answer('doseReport', { from, to }))).toMatchObject({ from, to });
    } finally {
      await pool.close();
    }
  });

  describePostgres('through the app', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({ DATABASE_URL: url });
    });
    afterAll(async () => {
      await server?.close();
      if (server) removeDir(server.dir);
    });

    it('answers the range report, the dose report and both exports from the database, as the store reads them', async () => {
      const coordinator = await Api.login(server, 'coordinator');
      const range = await coordinator.get(`/api/reports/range?from=${from}&to=${to}&groupBy=week`);
      expect(range.status).toBe(200);
      expect(range.body).toMatchObject({ total: { scheduled: 5, performed: 4 } });
      const rangeCsv = await fetch(`${server.url}/api/reports/range.csv?from=${from}&to=${to}&lang=en`, { headers: { cookie: coordinator.cookie } });
      expect(rangeCsv.status).toBe(200);
      expect((await rangeCsv.text()).split('\r\n').length).toBeGreaterThan(2);
      const radiologist = await Api.login(server, 'radiologist');
      expect((await radiologist.get(`/api/reports/doses?from=${from}&to=${to}`)).status).toBe(200);
      for (const name of ['cases', 'freeze-cycles'] as const) {
        const res = await fetch(`${server.url}/api/reports/${name}.csv?from=${from}&to=${to}&lang=en`, { headers: { cookie: radiologist.cookie } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('text/csv');
        const body = await res.text();
        const args = { from, to, timeZone: ZONE, lang: 'en' } as const;
        const expected = await text(await (name === 'cases' ? reportsOf().casesCsv(args) : reportsOf().cyclesCsv(args)));
        expect('\uFEFF' + body).toBe(expected);
      }
      // Read by the instance's report worker, whose connections are still open.
      expect(await workerConnections()).toBeGreaterThan(0);
      expect((await coordinator.get(`/api/reports/range?from=${to}&to=${from}`)).status).toBe(400);
    });
  });
});
