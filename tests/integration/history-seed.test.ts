import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../shared';
import { Api } from '../support/api';
import { bundleEntries, type Bundle } from '../support/bundle';
import { prepareDatabase, runToEnd, type Finished } from '../support/process';
import { removeDir, startServer, type TestServer } from '../support/server';

// `npm run seed:history` with a known seed, read back over the API: what it says it wrote is what
// the day reports, the CSV and the health check find, and the same seed always writes the same history.
const LAST_DAY = '2026-11-27';
const FIRST_DAY = addDays(LAST_DAY, -6);
const ARGS = ['--days', '7', '--seed', '7', '--per-day', '12', '--last-day', LAST_DAY];

describe('seed:history', () => {
  let dir: string;
  let env: Record<string, string>;
  let seeded: Finished;
  let server: TestServer;
  let coordinator: Api;
  let bundle: Bundle;
  const seed = () => runToEnd([bundle.path('server/cli/seed-history.ts'), ...ARGS], env);

  beforeAll(async () => {
    // Compiled once: the tool runs twice, and tsx's compile of every module at each start costs more than the seeding.
    bundle = await bundleEntries(['server/cli/seed-history.ts']);
    dir = mkdtempSync(join(tmpdir(), 'cryoday-seed-'));
    env = { DATABASE_PATH: join(dir, 'cryoday.sqlite'), UNIT_TIMEZONE: 'Europe/Paris' };
    await prepareDatabase(env.DATABASE_PATH!);
    seeded = await seed();
    server = await startServer({}, dir);
    coordinator = await Api.login(server, 'coordinator');
  }, 30_000);
  afterAll(async () => {
    await server?.close();
    bundle?.remove();
    removeDir(dir);
  });

  it('says what it wrote: the known history of seed 7', () => {
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/seeding 7 days up to 2026-11-27, about 12 cases a weekday, seed 7/);
    expect(seeded.stdout).toMatch(/done in [\d.]+ s: 62 cases \(2 cancelled, 59 discharged, 1 transferred\), 1926 events, \d+ MB/);
  });

  it('the day reports, the CSV and the log hold what it said', async () => {
    const counts = { cases: 0, discharged: 0, cancelled: 0, transferred: 0 };
    for (let day = FIRST_DAY; day <= LAST_DAY; day = addDays(day, 1)) {
      const report = await coordinator.get(`/api/reports/day?date=${day}`);
      expect(report.status).toBe(200);
      const weekend = [0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay());
      expect(report.body.cases.length === 0).toBe(weekend);
      counts.cases += report.body.cases.length;
      counts.discharged += report.body.counts.discharged;
      counts.cancelled += report.body.counts.cancelled;
      counts.transferred += report.body.counts.transferred;
      // Every act of the day went through its room, and each room was cleaned after each patient.
      expect(report.body.counts.inProgress + report.body.counts.notArrived).toBe(0);
    }
    expect(counts).toEqual({ cases: 62, discharged: 59, cancelled: 2, transferred: 1 });

    const csv = await coordinator.get(`/api/reports/cases.csv?from=${FIRST_DAY}&to=${LAST_DAY}&lang=en`);
    const rows = parse((csv.body as string).replace(/^\uFEFF/, ''), { delimiter: ';', columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(62);
    // Each discharged patient was called the next day, unless that day is past the history's end.
    const discharged = rows.filter((r) => r.stage === 'discharged');
    expect(discharged.filter((r) => r.pain_followup_d1 === '').map((r) => r.day)).toEqual(discharged.filter((r) => r.day === LAST_DAY).map((r) => r.day));
    expect(discharged.every((r) => Number(r.pain_discharge) < Number(r.pain_admission))).toBe(true);

    const health = (await fetch(`${server.url}/api/health`).then((r) => r.json())) as { seq: number };
    expect(health.seq).toBe(1926);
  });

  it('refuses a database that already holds cases, and changes nothing', async () => {
    const again = await seed();
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds 62 cases: seed an empty one/);
    expect(((await fetch(`${server.url}/api/health`).then((r) => r.json())) as { seq: number }).seq).toBe(1926);
  });
});
