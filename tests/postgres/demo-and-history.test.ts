import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection';
import { migratePostgres } from '../../db/pg/connection';
import { PgAccounts } from '../../server/auth/pg-accounts';
import { DEMO_PASSWORD } from '../../server/demo/demo-day';
import { seedHistoryInto } from '../../server/demo/history-seed';
import { pgHistoryTarget } from '../../server/demo/pg-history';
import { DEFAULT_SETTINGS } from '../../shared';
import { Api } from '../support/api';
import { bundleEntries, type Bundle } from '../support/bundle';
import { describePostgres, newDatabase } from '../support/pg';
import { asServer, type Finished, prepareDatabase, runToEnd } from '../support/process';
import { removeDir, startServer, type TestServer } from '../support/server';
import { preparePostgres, signIn, sqliteOpened, startInstance } from './app-fixtures';

type Instance = Awaited<ReturnType<typeof startInstance>>;

// A case as the screens read it, with what each store draws at random (ids) left out, keyed by MRN.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const withoutIds = (value: unknown) => JSON.parse(JSON.stringify(value).replace(UUID, '<id>')) as unknown;
const byMrn = (cases: { patient: { mrn: string } }[]) => Object.fromEntries(cases.map((c) => [c.patient.mrn, withoutIds(c)]));
// A day report without its clock, its cases (booked at the same minute in several rooms, then listed by id) in one order.
const comparable = (report: { generatedAt?: string; cases: unknown[] }) => {
  const { generatedAt: _, ...rest } = withoutIds(report) as typeof report;
  return { ...rest, cases: [...rest.cases].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))) };
};
const stagesByMrn = (cases: { patient: { mrn: string }; stage: string }[]) => Object.fromEntries(cases.map((c) => [c.patient.mrn, c.stage]));

describePostgres('the demo day and the history seeder on PostgreSQL', () => {
  let bundle: Bundle;
  let admin: pg.Client | undefined;
  const instances: Instance[] = [];
  const start = async (url: string, env: Record<string, string>) => {
    const instance = await startInstance(bundle, url, env);
    instances.push(instance);
    return instance;
  };
  const stop = async (instance: Instance) => {
    instance.child.kill('SIGTERM');
    await instance.exited;
  };

  beforeAll(async () => {
    // Compiled once: the server starts five times and the seeder runs three times.
    bundle = await bundleEntries(['server/main.ts', 'server/cli/seed-history.ts']);
  }, 60_000);
  afterAll(async () => {
    for (const instance of instances) instance.child.kill('SIGKILL');
    await admin?.end();
    bundle?.remove();
  });

  describePostgres('CRYODAY_DEMO=1', () => {
    let url: string;
    let sqliteDemo: TestServer;
    let a: Instance;
    let b: Instance;
    const count = async (table: string) => Number((await admin!.query(`select count(*) as n from ${table}`)).rows[0].n);

    beforeAll(async () => {
      url = await newDatabase('demo');
      // Given an empty database (not even migrated) and two instances started at the same moment with the flag.
      [a, b, sqliteDemo] = await Promise.all([start(url, { CRYODAY_DEMO: '1' }), start(url, { CRYODAY_DEMO: '1' }), startServer({ CRYODAY_DEMO: '1' })]);
      admin = new pg.Client({ connectionString: url });
      await admin.connect();
    }, 60_000);
    afterAll(async () => {
      await sqliteDemo?.close();
      if (sqliteDemo) removeDir(sqliteDemo.dir);
    });

    it('given two instances started together on an empty database, then the demo day is loaded once, as on SQLite', async () => {
      const sqliteEvents = sqliteDemo.app.database.sqlite.prepare('select count(*) from events').pluck().get() as number;
      expect(sqliteEvents).toBeGreaterThan(100);
      expect(await count('staff')).toBe(4);
      expect(await count('cases')).toBe(10);
      expect(await count('events')).toBe(sqliteEvents);
      expect(await count('unit_equipment')).toBe(1);
      expect(sqliteOpened(a) || sqliteOpened(b)).toBe(false);

      // The same morning, case for case, whichever instance answers.
      const onSqlite = (await (await Api.login(sqliteDemo, 'coordinator', DEMO_PASSWORD)).get('/api/cases')).body.cases;
      const onA = (await (await Api.login(asServer(a), 'coordinator', DEMO_PASSWORD)).get('/api/cases')).body.cases;
      const onB = (await (await Api.login(asServer(b), 'nurse', DEMO_PASSWORD)).get('/api/cases')).body.cases;
      // Today's list: the demo's later cases fall on tomorrow when the test runs late in the evening, on both stores alike.
      expect(onA.length).toBeGreaterThan(5);
      expect(onA).toHaveLength(onSqlite.length);
      expect(stagesByMrn(onA)).toEqual(stagesByMrn(onSqlite));
      expect(onB).toEqual(onA);
      const rooms = (await (await Api.login(asServer(b), 'nurse', DEMO_PASSWORD)).get('/api/rooms')).body;
      const sqliteRooms = (await (await Api.login(sqliteDemo, 'nurse', DEMO_PASSWORD)).get('/api/rooms')).body;
      // The morning is relative to each start's clock: the rooms' states, not their instants, are the same.
      const roomStates = (body: { rooms: { id: string; status: string; caseId: string | null }[] }) => body.rooms.map((r) => [r.id, r.status, r.caseId === null]);
      expect(roomStates(rooms)).toEqual(roomStates(sqliteRooms));
      expect(roomStates(rooms).map(([, status]) => status)).toContain('occupied');
    });

    it('given the demo loaded, when an instance starts again with the flag, then nothing is loaded twice', async () => {
      const events = await count('events');
      const again = await start(url, { CRYODAY_DEMO: '1' });
      expect((await signIn(again, 'radiologist', DEMO_PASSWORD)).status).toBe(200);
      expect(await count('cases')).toBe(10);
      expect(await count('events')).toBe(events);
      await stop(again);
    });

    it('given demo accounts still on "demo", when an instance starts without the flag, then they are disabled; one given a real password stays', async () => {
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      const accounts = new PgAccounts(pool);
      const demoAdmin = (await accounts.staffOfUsername('admin'))!;
      await accounts.resetStaffPassword(demoAdmin.id, 'un-vrai-mot-de-passe');
      await Promise.all([stop(a), stop(b)]);

      const plain = await start(url, { CRYODAY_DEMO: '0' });
      for (const username of ['nurse', 'radiologist', 'coordinator']) {
        const refused = await signIn(plain, username, DEMO_PASSWORD);
        expect(refused.status, username).toBe(401);
      }
      expect((await signIn(plain, 'admin', 'un-vrai-mot-de-passe')).status).toBe(200);
      expect(Object.fromEntries((await accounts.listStaff()).map((s) => [s.username, s.active]))).toEqual({ admin: true, coordinator: false, nurse: false, radiologist: false });
      await pool.end();
      await stop(plain);
    });
  });

  describePostgres('npm run seed:history', () => {
    const LAST_DAY = '2026-11-27';
    const ARGS = ['--days', '7', '--seed', '7', '--per-day', '12', '--last-day', LAST_DAY];
    let url: string;
    let dir: string;
    let onPg: Finished;
    let onSqlite: Finished;
    const seed = (env: Record<string, string>) => runToEnd([bundle.path('server/cli/seed-history.ts'), ...ARGS], { UNIT_TIMEZONE: 'Europe/Paris', ...env });
    // What `npm run seed:history` runs, through tsx rather than the bundle: the PostgreSQL modules it loads on demand included.
    const npmRunSeed = (env: Record<string, string>) => runToEnd(['--import', 'tsx', 'server/cli/seed-history.ts', ...ARGS], { UNIT_TIMEZONE: 'Europe/Paris', ...env });

    beforeAll(async () => {
      url = await newDatabase('seed');
      dir = mkdtempSync(join(tmpdir(), 'cryoday-seed-both-'));
      // Given the same accounts on both stores, when the same seeder runs with the same flags on each.
      await Promise.all([preparePostgres(url), prepareDatabase(join(dir, 'cryoday.sqlite'))]);
      [onPg, onSqlite] = await Promise.all([npmRunSeed({ DATABASE_URL: url }), seed({ DATABASE_PATH: join(dir, 'cryoday.sqlite') })]);
    }, 120_000);
    afterAll(() => {
      if (dir) removeDir(dir);
    });

    it('says what it wrote and how long it took: the same history of seed 7 as on SQLite', () => {
      expect(onPg.stderr).toBe('');
      expect(onPg.code).toBe(0);
      expect(onPg.stdout).toMatch(/^PostgreSQL \(DATABASE_URL\): seeding 7 days up to 2026-11-27, about 12 cases a weekday, seed 7/);
      expect(onPg.stdout).toMatch(/done in [\d.]+ s: 62 cases \(2 cancelled, 59 discharged, 1 transferred\), 1926 events, \d+ MB/);
      expect(onSqlite.stdout.split('done in')[1]!.replace(/[\d.]+ s/, '').replace(/\d+ MB/, '')).toBe(onPg.stdout.split('done in')[1]!.replace(/[\d.]+ s/, '').replace(/\d+ MB/, ''));
    });

    it('folds to the same case states and the same log as SQLite, case for case and event for event', async () => {
      const sqlite = openDatabase(join(dir, 'cryoday.sqlite'));
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        const sqliteStates = (sqlite.sqlite.prepare('select state from cases').pluck().all() as string[]).map((s) => JSON.parse(s));
        const pgStates = (await pool.query('select state from cases')).rows.map((r) => r.state);
        expect(pgStates).toHaveLength(62);
        expect(byMrn(pgStates)).toEqual(byMrn(sqliteStates));
        // The log in the same order: every event at the same seq, with the same data.
        const logOf = (rows: Record<string, unknown>[]) =>
          rows.map((r) => withoutIds({ seq: Number(r.seq), type: r.type, version: r.version, data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data, at: r.occurred_at, recorded: r.recorded_at }));
        const sqliteLog = logOf(sqlite.sqlite.prepare('select seq, type, version, data, occurred_at, recorded_at from events order by seq').all() as Record<string, unknown>[]);
        const pgLog = logOf((await pool.query('select seq, type, version, data, occurred_at, recorded_at from events order by seq')).rows);
        expect(pgLog).toHaveLength(1926);
        expect(pgLog).toEqual(sqliteLog);
        const devices = 'select count(*) as n from case_devices';
        expect(Number((await pool.query(devices)).rows[0].n)).toBe(Number((sqlite.sqlite.prepare(devices).get() as { n: number }).n));
        // Rooms end the history free, as each room was cleaned after its last patient.
        expect((await pool.query("select count(*)::int as n from rooms where status <> 'free'")).rows[0].n).toBe(0);
        expect(Number((await pool.query('select seq from event_log_head')).rows[0].seq)).toBe(1926);
      } finally {
        sqlite.close();
        await pool.end();
      }
    });

    it('given the seeded database, then an instance serves the same day reports, range report and cases.csv as SQLite', async () => {
      const instance = await start(url, {});
      const sqliteServer = await startServer({}, dir);
      try {
        const pgCoordinator = await Api.login(asServer(instance), 'coordinator');
        const sqliteCoordinator = await Api.login(sqliteServer, 'coordinator');
        for (const day of ['2026-11-23', '2026-11-25', '2026-11-27']) {
          const [fromPg, fromSqlite] = await Promise.all([pgCoordinator.get(`/api/reports/day?date=${day}`), sqliteCoordinator.get(`/api/reports/day?date=${day}`)]);
          expect(fromPg.status).toBe(200);
          expect(fromPg.body.cases.length).toBeGreaterThan(0);
          expect(comparable(fromPg.body)).toEqual(comparable(fromSqlite.body));
        }
        const range = `from=2026-11-21&to=${LAST_DAY}`;
        const [rangePg, rangeSqlite] = await Promise.all([pgCoordinator.get(`/api/reports/range?${range}&groupBy=day`), sqliteCoordinator.get(`/api/reports/range?${range}&groupBy=day`)]);
        expect(rangePg.body.total).toMatchObject({ scheduled: 62, cancelled: 2 });
        const unclocked = ({ generatedAt: _, ...rest }: { generatedAt?: string }) => withoutIds(rest);
        expect(unclocked(rangePg.body)).toEqual(unclocked(rangeSqlite.body));
        // The lines of cases booked at the same minute come in id order, which each store drew at random.
        const lines = (csv: string) => (withoutIds(csv) as string).split('\r\n').sort();
        const [csvPg, csvSqlite] = await Promise.all([pgCoordinator.get(`/api/reports/cases.csv?${range}&lang=en`), sqliteCoordinator.get(`/api/reports/cases.csv?${range}&lang=en`)]);
        expect(lines(csvPg.body as string)).toHaveLength(64);
        expect(lines(csvPg.body as string)).toEqual(lines(csvSqlite.body as string));
      } finally {
        await sqliteServer.close();
        await stop(instance);
      }
    });

    it('given a command the rules refuse, then the seeding stops with its reason and nothing of that day is stored', async () => {
      const refusedUrl = await newDatabase('seed_refused');
      await migratePostgres(refusedUrl);
      const pool = new pg.Pool({ connectionString: refusedUrl, max: 2 });
      try {
        const options = { days: 3, lastDay: '2026-11-25', perDay: 4, seed: 7, rooms: ['Salle 1', 'Salle 2'], labelMode: 'initials' as const };
        // An observation longer than the generator waits: the first discharge of 2026-11-23 is refused.
        const strict = { ...DEFAULT_SETTINGS, observationMinutes: 120, timeZone: 'Europe/Paris' };
        await expect(seedHistoryInto(pgHistoryTarget(pool), { ...options, settings: strict })).rejects.toThrow(/^2026-11-23 2026-11-23#\d+ discharge refused: /);
        const count = async (table: string) => (await pool.query(`select count(*)::int as n from ${table}`)).rows[0].n as number;
        expect(await count('cases')).toBe(0);
        expect(await count('events')).toBe(0);
        expect(await count('rooms')).toBe(2);
        // Allowed with the unit's usual observation: the same database then takes the whole history.
        const seeded = await seedHistoryInto(pgHistoryTarget(pool), { ...options, settings: { ...DEFAULT_SETTINGS, timeZone: 'Europe/Paris' } });
        expect(await count('cases')).toBe(seeded.cases.length);
        expect(seeded.cases.length).toBeGreaterThan(0);
        expect(await count('events')).toBe(seeded.commands);
      } finally {
        await pool.end();
      }
    });

    it('refuses a database that already holds cases, and changes nothing', async () => {
      const again = await seed({ DATABASE_URL: url });
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already holds 62 cases: seed an empty one/);
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        expect((await pool.query('select count(*)::int as n from events')).rows[0].n).toBe(1926);
      } finally {
        await pool.end();
      }
    });
  });
});
