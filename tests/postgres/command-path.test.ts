import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Connection } from '../../db/connection';
import { openPostgres, type PgConnection } from '../../db/pg/connection';
import type { Store } from '../../db/store';
import { executeCaseCommand, executeRoomReady, scheduleCase, type CommandResult, type ExecuteContext } from '../../server/cases/execute';
import { GroupCommit } from '../../server/cases/group-commit';
import { isDatabaseUnavailable } from '../../server/http/database-unavailable';
import { Problem } from '../../server/http/problem';
import { syncRooms } from '../../server/plugins/rooms';
import { DEFAULT_SETTINGS, dayOf, type Actor, type CaseState, type CommandBody } from '../../shared';
import { inDay, utcWindow } from '../../server/reports/dates';
import { dayReport } from '../../server/reports/day-report';
import { newCaseBody } from '../support/api';
import { lastNoon, minutesAgo, wholeDay } from '../support/day';
import { describePostgres, newDatabase } from '../support/pg';
import { removeDir } from '../support/server';

const ROOMS = ['Salle 1', 'Salle 2'];
const actors = {
  nurse: { id: 'staff-nurse', name: 'Inès Martin', role: 'nurse' },
  radiologist: { id: 'staff-radiologist', name: 'Dr Roche', role: 'radiologist' },
  coordinator: { id: 'staff-coordinator', name: 'Julie Caron', role: 'coordinator' },
} satisfies Record<string, Actor>;

/** One app instance's command path: its store and its own group commit, as a server process holds them. */
interface Instance {
  store: Store;
  group: GroupCommit;
}

const instanceOf = (store: Store): Instance => ({ store, group: new GroupCommit(store) });

/** A command through the instance's group commit, as POST /api/cases/:id/commands runs it. */
function send(instance: Instance, context: Omit<ExecuteContext, 'tx'>, work: (ctx: ExecuteContext) => Promise<CommandResult>) {
  return instance.group.run((tx) => work({ ...context, tx }));
}

const contextOf = (actor: Actor, now: Date, idempotencyKey?: string): Omit<ExecuteContext, 'tx'> => ({
  settings: DEFAULT_SETTINGS,
  labelMode: 'initials',
  actor,
  now,
  ...(idempotencyKey ? { idempotencyKey } : {}),
});

async function pgRooms(pg: PgConnection, at: string) {
  for (const [i, name] of ROOMS.entries()) {
    await pg.pool.query("insert into rooms (id, name, sort_order, status, status_since) values ($1, $2, $3, 'free', $4)", [`room-${i + 1}`, name, i, at]);
  }
}

async function book(instance: Instance, now: number, body: Record<string, unknown>): Promise<CaseState> {
  const booked = await send(instance, contextOf(actors.coordinator, new Date(now - 180 * 60_000)), (ctx) =>
    scheduleCase(ctx, { ...newCaseBody(body), scheduledAt: new Date(now - 150 * 60_000).toISOString() } as never),
  );
  return (booked.body as { case: CaseState }).case;
}

/**
 * A unit's day: two cases through every step, in two rooms, each step of both sent in the same tick
 * (one group), alternating between the instances given; a third case cancelled; both rooms released.
 * The patients are the same on every store, by MRN, so the states compare field for field.
 */
async function playDay(instances: Instance[], now: number) {
  const at = minutesAgo(now);
  const cases = [
    await book(instances[0]!, now, { plannedRoomId: 'room-1', patient: { firstName: 'Odile', lastName: 'Quesnel', mrn: 'MRN-DAY-1', birthDate: '1950-01-01' } }),
    await book(instances[1 % instances.length]!, now, { plannedRoomId: 'room-2', patient: { firstName: 'Henri', lastName: 'Blanc', mrn: 'MRN-DAY-2', birthDate: '1961-05-12' } }),
    await book(instances[0]!, now, { plannedRoomId: null, patient: { firstName: 'Agnès', lastName: 'Roux', mrn: 'MRN-DAY-3', birthDate: '1944-11-30' } }),
  ];
  const versions = cases.map((c) => c.version);
  const days = [wholeDay('room-1', at), wholeDay('room-2', at)];
  for (let step = 0; step < days[0]!.length; step++) {
    const instance = instances[step % instances.length]!;
    const answers = await Promise.all(
      days.map((day, i) => {
        const [who, command] = day[step]!;
        const body = { ...command, expectedVersion: versions[i]! } as CommandBody;
        return send(instance, contextOf(actors[who], new Date(now)), (ctx) => executeCaseCommand(ctx, cases[i]!.id, body));
      }),
    );
    answers.forEach((answer, i) => (versions[i] = (answer.body as { case: CaseState }).case.version));
  }
  await send(instances[0]!, contextOf(actors.coordinator, new Date(now)), (ctx) =>
    executeCaseCommand(ctx, cases[2]!.id, { type: 'cancel', expectedVersion: versions[2]!, reason: 'no_show', note: 'absent' } as CommandBody),
  );
  for (const [i, roomId] of ['room-1', 'room-2'].entries()) {
    await send(instances[i % instances.length]!, contextOf(actors.nurse, new Date(now)), (ctx) => executeRoomReady(ctx, roomId));
  }
  return cases.map((c) => c.id);
}

/** What a store holds of the day, with each case named by its place in the day rather than its random id. */
async function dayAsStored(store: Store, caseIds: string[]) {
  let text = JSON.stringify({
    states: await Promise.all(caseIds.map((id) => store.loadCase(id))),
    timelines: await Promise.all(caseIds.map(async (id) => (await store.timeline(id)).map(({ version, event }) => ({ version, event })))),
    rooms: await store.rooms(),
  });
  caseIds.forEach((id, i) => (text = text.replaceAll(id, `case-${i + 1}`)));
  return JSON.parse(text) as unknown;
}

/** The day report as GET /api/reports/day builds it from a store, cases named by their place in the day. */
async function dayReportOf(store: Store, caseIds: string[], now: number) {
  const zone = DEFAULT_SETTINGS.timeZone;
  const date = dayOf((await store.loadCase(caseIds[0]!))!.scheduledAt, zone);
  const window = utcWindow(date, date);
  const readies = (await store.roomReadies(window.start, window.end)).filter((r) => inDay(r.at, date, zone));
  const report = dayReport({ date, cases: await store.casesOfDay(date), rooms: await store.rooms(), roomReadies: readies, now: new Date(now).toISOString() });
  let text = JSON.stringify(report);
  caseIds.forEach((id, i) => (text = text.replaceAll(id, `case-${i + 1}`)));
  const named = JSON.parse(text) as { meanTurnover: number | null; cases: { caseId: string }[] };
  // Booked at the same minute, the cases are listed in the order of their random ids.
  named.cases.sort((x, y) => x.caseId.localeCompare(y.caseId));
  return named;
}

describePostgres('the command path on PostgreSQL', () => {
  let dir: string;
  let sqlite: Connection;
  // Two app instances on one database: each its own pool and its own group commit, as two processes hold.
  let pgA: PgConnection;
  let pgB: PgConnection;
  let a: Instance;
  let b: Instance;
  const now = lastNoon();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cryoday-command-path-'));
    sqlite = openDatabase(join(dir, 'cryoday.sqlite'));
    syncRooms(sqlite.db, ROOMS, new Date(now - 600 * 60_000).toISOString());
    const url = await newDatabase('command_path');
    [pgA, pgB] = await Promise.all([openPostgres(url, { max: 4 }), openPostgres(url, { max: 4 })]);
    await pgRooms(pgA, new Date(now - 600 * 60_000).toISOString());
    a = instanceOf(pgA.store);
    b = instanceOf(pgB.store);
  });
  afterAll(async () => {
    await pgA?.close();
    await pgB?.close();
    sqlite?.close();
    if (dir) removeDir(dir);
  });

  it('given a day of commands, when played on two PostgreSQL instances, then it folds to the same states, timelines and rooms as on SQLite', async () => {
    const onSqlite = instanceOf(sqlite.sqliteStore);
    const sqliteIds = await playDay([onSqlite], now);
    const pgIds = await playDay([a, b], now);
    const expected = await dayAsStored(sqlite.sqliteStore, sqliteIds);
    expect((expected as { states: CaseState[] }).states.map((s) => s.stage)).toEqual(['discharged', 'discharged', 'cancelled']);
    // Read back by the other instance than the one that wrote last.
    expect(await dayAsStored(pgB.store, pgIds)).toEqual(expected);
    expect(await dayAsStored(pgA.store, pgIds)).toEqual(expected);
    // The day report reads the same day, turnovers (room releases) included, from either store.
    const report = await dayReportOf(sqlite.sqliteStore, sqliteIds, now);
    expect(report.meanTurnover).not.toBeNull();
    expect(await dayReportOf(pgB.store, pgIds, now)).toEqual(report);
  });

  it("given two tablets on two instances racing one case's version, then one succeeds, the other gets a 409 and nothing of it is stored", async () => {
    const booked = await book(a, now, { plannedRoomId: 'room-1' });
    const admit = { type: 'admit', expectedVersion: booked.version } as CommandBody;
    const results = await Promise.allSettled([
      send(a, contextOf(actors.nurse, new Date(now), 'race-on-a'), (ctx) => executeCaseCommand(ctx, booked.id, admit)),
      send(b, contextOf(actors.nurse, new Date(now), 'race-on-b'), (ctx) => executeCaseCommand(ctx, booked.id, admit)),
    ]);
    const won = results.filter((r): r is PromiseFulfilledResult<CommandResult> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won.map((r) => r.value.status)).toEqual([200]);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(Problem);
    expect(lost[0]!.reason).toMatchObject({ status: 409, code: 'version_conflict', extra: { currentVersion: booked.version + 1 } });
    const loserKey = results[0]!.status === 'rejected' ? 'race-on-a' : 'race-on-b';
    expect((await pgB.store.timeline(booked.id)).map((e) => e.version)).toEqual([1, 2]);
    expect((await pgA.pool.query('select count(*)::int as n from idempotency where key = $1', [loserKey])).rows[0].n).toBe(0);
    expect(await pgA.store.loadCase(booked.id)).toMatchObject({ version: booked.version + 1, stage: 'admitted' });
  });

  it('given the same Idempotency-Key sent to both instances, then the command applies once and both answer its first answer', async () => {
    const booked = await book(b, now, { plannedRoomId: 'room-2' });
    const admit = { type: 'admit', expectedVersion: booked.version } as CommandBody;
    const [first, second] = await Promise.all([
      send(a, contextOf(actors.nurse, new Date(now), 'retried-key'), (ctx) => executeCaseCommand(ctx, booked.id, admit)),
      send(b, contextOf(actors.nurse, new Date(now), 'retried-key'), (ctx) => executeCaseCommand(ctx, booked.id, admit)),
    ]);
    expect(first!.status).toBe(200);
    expect(second!.status).toBe(200);
    expect(second!.body).toEqual(first!.body);
    // Only the one that applied it publishes: the replay has nothing new to push.
    expect([first!.publications.length, second!.publications.length].sort()).toEqual([0, 1]);
    const again = await send(b, contextOf(actors.nurse, new Date(now + 60_000), 'retried-key'), (ctx) => executeCaseCommand(ctx, booked.id, admit));
    expect(again.body).toEqual(first!.body);
    expect((await pgA.store.timeline(booked.id)).map((e) => e.version)).toEqual([1, 2]);
  });

  it('given a group with a refused command in the middle, then the commands around it are committed and the log keeps no hole', async () => {
    const [x, y, z] = [await book(a, now, { plannedRoomId: 'room-1' }), await book(a, now, { plannedRoomId: 'room-2' }), await book(a, now, { plannedRoomId: null })];
    const nurseNow = contextOf(actors.nurse, new Date(now));
    // Sent in one tick to one instance: one transaction, one savepoint each.
    const results = await Promise.allSettled([
      send(a, nurseNow, (ctx) => executeCaseCommand(ctx, x.id, { type: 'admit', expectedVersion: x.version } as CommandBody)),
      // A scheduled case cannot be discharged: refused by the machine, after nothing of it was written.
      send(a, nurseNow, (ctx) =>
        executeCaseCommand(ctx, z.id, { type: 'discharge', expectedVersion: z.version, escortConfirmed: true, instructionsGiven: true } as CommandBody),
      ),
      send(a, nurseNow, (ctx) => executeCaseCommand(ctx, y.id, { type: 'admit', expectedVersion: y.version } as CommandBody)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Problem);
    expect([403, 422]).toContain(((results[1] as PromiseRejectedResult).reason as Problem).status);
    expect(await pgB.store.loadCase(x.id)).toMatchObject({ stage: 'admitted', version: x.version + 1 });
    expect(await pgB.store.loadCase(y.id)).toMatchObject({ stage: 'admitted', version: y.version + 1 });
    expect(await pgB.store.loadCase(z.id)).toMatchObject({ stage: 'scheduled', version: z.version });
    const seqs = (await pgB.pool.query<{ seq: number }>('select seq from events order by seq')).rows.map((r) => r.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it("given a group whose connection dies mid-group, then every command of it fails with that command's error and none is stored", async () => {
    const [x, y] = [await book(a, now, { plannedRoomId: 'room-1' }), await book(a, now, { plannedRoomId: 'room-2' })];
    const nurseNow = contextOf(actors.nurse, new Date(now));
    // The database ends the group's connection (a failover, pg_terminate_backend) while it waits on this command.
    const cut = async (ctx: ExecuteContext) => {
      await pgB.pool.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and state = 'idle in transaction'");
      return executeCaseCommand(ctx, y.id, { type: 'admit', expectedVersion: y.version } as CommandBody);
    };
    const results = await Promise.allSettled([
      send(a, nurseNow, (ctx) => executeCaseCommand(ctx, x.id, { type: 'admit', expectedVersion: x.version } as CommandBody)),
      send(a, nurseNow, cut),
      send(a, nurseNow, (ctx) => executeCaseCommand(ctx, y.id, { type: 'cancel', expectedVersion: y.version, reason: 'other', note: 'n' } as CommandBody)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const errors = results.map((r) => (r as PromiseRejectedResult).reason as unknown);
    // The loss of the connection, in whichever words the driver met it ("Connection terminated", a write
    // EPIPE): the kind a request answers 503 database_unavailable, the same for all three.
    expect(isDatabaseUnavailable(errors[0])).toBe(true);
    expect(new Set(errors.map(String)).size).toBe(1);
    expect(await pgB.store.loadCase(x.id)).toMatchObject({ stage: 'scheduled', version: x.version });
    expect(await pgB.store.loadCase(y.id)).toMatchObject({ stage: 'scheduled', version: y.version });
    // The instance goes on with a new connection.
    const next = await send(a, nurseNow, (ctx) => executeCaseCommand(ctx, x.id, { type: 'admit', expectedVersion: x.version } as CommandBody));
    expect(next.status).toBe(200);
  });
});
