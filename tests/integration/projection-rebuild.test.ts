import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECTION_VERSION } from '../../shared';
import { Api, newCaseBody } from '../support/api';
import { runToEnd } from '../support/process';
import { removeDir, startServer } from '../support/server';
import { sqlAt } from '../support/sql';
import { onPostgres } from '../support/test-store';

const dir = mkdtempSync(join(tmpdir(), 'cryoday-rebuild-'));
const databasePath = join(dir, 'cryoday.sqlite');

/** The projection rows as stored, minus when they were written. */
async function caseRows() {
  const rows = await sqlAt<{ id: string; day: string; scheduled_at: string; stage: string; room_id: string | null; version: number; state: unknown; projection_version: number }>(
    databasePath,
    'select id, day, scheduled_at, stage, room_id, version, state, projection_version from cases order by id',
  );
  // SQLite keeps the state as JSON text, PostgreSQL as jsonb (read as an object).
  return rows.map((row) => ({ ...row, state: typeof row.state === 'string' ? JSON.parse(row.state) : row.state }));
}

/** Every stored case state made wrong (another stage, day, version), stamped with `projectionVersion`. */
function corrupt(projectionVersion: number) {
  const state = onPostgres
    ? `state || jsonb_build_object('stage', 'cancelled', 'version', version + 7, 'roomId', null)`
    : `json_set(state, '$.stage', 'cancelled', '$.version', version + 7, '$.roomId', null)`;
  return sqlAt(
    databasePath,
    `update cases set stage = 'cancelled', day = '1999-01-01', room_id = null, version = version + 7, state = ${state}, projection_version = ?`,
    projectionVersion,
  );
}

/** The appointment index a booking from the hospital looks a case up by. */
const appointmentRows = () => sqlAt<{ kind: string; value: string; case_id: string }>(databasePath, 'select kind, value, case_id from case_appointments order by kind, value');

async function caseEventCount() {
  return (await sqlAt<{ n: number }>(databasePath, 'select count(*) n from events where case_id is not null'))[0]!.n;
}

/** `npm run db:rebuild` as an operator runs it (node + tsx), with its own environment. */
const rebuild = () => runToEnd(['--import', 'tsx', 'server/cli/rebuild.ts'], { DATABASE_PATH: databasePath });

/** A real server on the test's database, its log lines kept. CRYODAY_DEMO keeps the demo accounts usable. */
const start = () => startServer({ LOG_LEVEL: 'info', CRYODAY_DEMO: '1' }, dir);

describe('case states rebuilt from the event log', () => {
  let folded: Awaited<ReturnType<typeof caseRows>>;
  let appointments: Awaited<ReturnType<typeof appointmentRows>>;

  beforeAll(async () => {
    // A demo day: a dozen cases in every stage, written through the same commands as the screens; and
    // one booked with the hospital's appointment numbers.
    const server = await start();
    const coordinator = await Api.login(server, 'coordinator', 'demo');
    const booked = await coordinator.post('/api/cases', newCaseBody({ appointment: { placer: 'DEM-REBUILD', filler: 'RDV-REBUILD' } }));
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    await server.close();
    folded = await caseRows();
    appointments = await appointmentRows();
    expect(appointments.map((row) => [row.kind, row.value, row.case_id])).toEqual([
      ['filler', 'RDV-REBUILD', booked.body.case.id],
      ['placer', 'DEM-REBUILD', booked.body.case.id],
    ]);
    expect(folded.length).toBeGreaterThan(5);
    expect(new Set(folded.map((row) => row.projection_version))).toEqual(new Set([PROJECTION_VERSION]));
  });
  afterAll(() => removeDir(dir));

  it('npm run db:rebuild refolds every case from its events in one go, its appointment numbers too, and says how many and how long', async () => {
    await corrupt(0);
    await sqlAt(databasePath, 'delete from case_appointments');
    expect(await caseRows()).not.toEqual(folded);
    const result = await rebuild();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`: rebuilt ${folded.length} cases from ${await caseEventCount()} events in \\d+ ms \\(projection version ${PROJECTION_VERSION}\\)\\n$`),
    );
    expect(await caseRows()).toEqual(folded);
    expect(await appointmentRows()).toEqual(appointments);
  }, 60_000);

  it('a start finding case states of an older version refolds them before it answers, and logs it', async () => {
    await corrupt(PROJECTION_VERSION - 1);
    const server = await start();
    try {
      expect(server.log()).toMatch(new RegExp(`case states older than this release: rebuilt ${folded.length} cases from \\d+ events`));
      expect(await caseRows()).toEqual(folded);
      // What commands read is what the events say: the case answers in its folded stage and version.
      const nurse = await Api.login(server, 'nurse', 'demo');
      const sample = folded.find((row) => row.version > 3)!;
      const res = await nurse.get(`/api/cases/${sample.state.id}`);
      expect(res.status).toBe(200);
      expect(res.body.case).toEqual(sample.state);
    } finally {
      await server.close();
    }
  });

  it('a start finding case states of the current version leaves them as stored', async () => {
    await corrupt(PROJECTION_VERSION);
    const stored = await caseRows();
    const server = await start();
    try {
      expect(server.log()).not.toContain('rebuilt');
      expect(await caseRows()).toEqual(stored);
    } finally {
      await server.close();
    }
    // The operator's way back: the command refolds whatever version the rows carry.
    expect((await rebuild()).code).toBe(0);
    expect(await caseRows()).toEqual(folded);
  }, 60_000);

  it('keeps the event log append-only in the database itself', async () => {
    await expect(sqlAt(databasePath, "update events set type = 'CaseCancelled'")).rejects.toThrow(/events is append-only/);
    await expect(sqlAt(databasePath, 'delete from events')).rejects.toThrow(/events is append-only/);
    expect(await caseEventCount()).toBeGreaterThan(0);
  });
});
