import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection';
import { READ_SQL } from '../../db/event-store';
import { BOOKING_SQL } from '../../server/interfaces/bookings';
import { INBOX_SQL } from '../../server/interfaces/inbox';
import { REPORT_SQL } from '../../server/reports/queries';
import { RANGE_SQL } from '../../server/reports/range-report';
import { Api, LiveClient, newCaseBody, seedStaff } from '../support/api';
import { removeDir, startServer, type TestServer } from '../support/server';

// What a day's report, a case, the day list, the follow-up list and a live replay cost must follow the
// day, not the years of history behind it: each read searches an index (or walks the log's newest end
// with a limit), never scans a whole table. Read on the real migrated schema, with SQLite's own planner.
const dir = mkdtempSync(join(tmpdir(), 'cryoday-plans-'));
const path = join(dir, 'cryoday.sqlite');
openDatabase(path).close();
const sqlite = new Database(path, { readonly: true });

const planOf = (sql: string, params: unknown[]) =>
  (sqlite.prepare(`explain query plan ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail);

const day = ['2026-12-01'];
const range = ['2026-11-01', '2026-11-30'];
const instants = ['2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z'];

// Each hot read with the index its plan must search, and whether it may walk the log's newest end.
const READS: { name: string; sql: string; params: unknown[]; uses: RegExp }[] = [
  { name: 'a case (commands, the case page)', sql: READ_SQL.loadCase, params: ['c1'], uses: /SEARCH cases USING INDEX sqlite_autoindex_cases_1/ },
  { name: "the day's list and the live snapshot", sql: READ_SQL.casesOfDay, params: day, uses: /SEARCH cases USING INDEX cases_day_idx/ },
  { name: "a case's timeline", sql: READ_SQL.timeline, params: ['c1'], uses: /SEARCH events USING INDEX events_case_version_uq/ },
  { name: 'a live replay since a seq', sql: READ_SQL.since, params: [10, 100], uses: /SEARCH events USING INTEGER PRIMARY KEY/ },
  { name: 'one event by seq', sql: READ_SQL.recordedAt, params: [10], uses: /SEARCH events USING INTEGER PRIMARY KEY/ },
  { name: "a day report's cases", sql: REPORT_SQL.casesInRange, params: range, uses: /SEARCH cases USING INDEX cases_day_idx/ },
  { name: 'the follow-up list', sql: REPORT_SQL.dischargedInRange, params: range, uses: /SEARCH cases USING INDEX cases_day_idx/ },
  { name: "a range report's cases", sql: RANGE_SQL.cases, params: range, uses: /SEARCH cases USING INDEX cases_day_idx/ },
  { name: 'the case a booking number names', sql: BOOKING_SQL.caseOfAppointment, params: ['filler', 'RDV-1'], uses: /SEARCH case_appointments USING INDEX sqlite_autoindex_case_appointments_1/ },
  { name: "a patient's open cases (a demographics update)", sql: BOOKING_SQL.openCasesOfPatient, params: ['p1'], uses: /SEARCH cases USING INDEX cases_patient_idx/ },
  { name: 'the interface messages left unapplied', sql: INBOX_SQL.pending, params: [], uses: /SEARCH interface_messages USING (COVERING )?INDEX interface_messages_status_idx/ },
  { name: "a day report's room releases", sql: REPORT_SQL.roomReadies, params: instants, uses: /SEARCH events USING INDEX events_room_ready_idx/ },
];

describe('query plans: the cost follows the day, not the history', () => {
  afterAll(() => {
    sqlite.close();
    removeDir(dir);
  });

  it.each(READS)('$name searches its index and scans no table', ({ sql, params, uses }) => {
    const plan = planOf(sql, params);
    expect(plan.join(' | ')).toMatch(uses);
    expect(plan.filter((step) => /^SCAN /.test(step))).toEqual([]);
  });

  it("walks the log's newest end for the replay window's start, stopping at its limit", () => {
    // A reverse walk of the rowid with LIMIT reads as many rows as asked, whatever the log's length.
    expect(READ_SQL.latest).toMatch(/order by seq desc limit \?$/);
    expect(planOf(READ_SQL.latest, [1001])).toEqual(['SCAN events']);
  });
});

// Every statement a running server prepares, whoever prepared it (the event store, the report reads,
// drizzle for sessions and accounts), read with the planner while it serves what a screen asks most:
// today's list, a case, the day report, the follow-up list and the live snapshot. None may walk a
// table that grows with the history, but the few named here, which never serve a request.
const GROWING_TABLES = ['cases', 'events', 'case_devices', 'patients', 'sessions', 'idempotency', 'account_audit'];
const NOT_ON_A_REQUEST: { why: string; sql: RegExp }[] = [
  { why: "the replay window's start walks the log's newest end with a limit", sql: /^select \* from events order by seq desc limit \?$/ },
  { why: 'the start-up check of projection versions', sql: /projection_version <> \?/ },
];

describe('query plans of everything a serving server prepares', () => {
  const prepared = new Set<string>();
  const original = Database.prototype.prepare;
  let server: TestServer;

  beforeAll(async () => {
    Database.prototype.prepare = function (this: Database.Database, source: string) {
      prepared.add(source);
      return original.call(this, source);
    } as typeof original;
    server = await startServer();
    await seedStaff(server);
    const coordinator = await Api.login(server, 'coordinator');
    const nurse = await Api.login(server, 'nurse');
    const created = await coordinator.post('/api/cases', newCaseBody());
    await nurse.command(created.body.case.id, { type: 'admit' });
    const today = created.body.case.scheduledAt.slice(0, 10);
    for (const path of ['/api/cases', `/api/cases/${created.body.case.id}`, `/api/reports/day?date=${today}`, '/api/follow-up', '/api/rooms']) {
      expect((await coordinator.get(path)).status).toBe(200);
    }
    const live = LiveClient.staff(server, coordinator);
    await live.waitFor((messages) => messages.some((m) => m.type === 'snapshot'));
    live.close();
  });
  afterAll(async () => {
    Database.prototype.prepare = original;
    await server.close();
    removeDir(server.dir);
  });

  it('walks no table that grows with the history, except the statements that never serve a request', () => {
    const sqlite = server.app.database.sqlite;
    const scans: string[] = [];
    expect(prepared.size).toBeGreaterThan(20);
    for (const sql of prepared) {
      if (!/^\s*(select|update|delete|insert|with)/i.test(sql) || NOT_ON_A_REQUEST.some((allowed) => allowed.sql.test(sql.trim()))) continue;
      const statement = original.call(sqlite, `explain query plan ${sql}`) as Database.Statement<unknown[]>;
      const named = [...new Set(Array.from(sql.matchAll(/[@:$]([A-Za-z_]\w*)/g), (m) => m[1]!))];
      const positional = (sql.match(/\?/g) ?? []).length;
      const rows = (named.length ? statement.all(Object.fromEntries(named.map((n) => [n, null]))) : statement.all(...new Array<null>(positional).fill(null))) as { detail: string }[];
      for (const { detail } of rows) {
        const table = /^SCAN (\w+)/.exec(detail)?.[1];
        if (table && GROWING_TABLES.includes(table)) scans.push(`${detail} ← ${sql.replace(/\s+/g, ' ')}`);
      }
    }
    expect(scans).toEqual([]);
  });
});
