import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../shared';
import { Api, bookCaseInThePast, newCaseBody, seedStaff } from '../support/api';
import { minutesAgo, wholeDay } from '../support/day';
import { removeDir, startServer, type TestServer } from '../support/server';

/**
 * A route's response schema is also its serializer, and the serializer drops every property the schema
 * does not name. So each JSON answer of a real day is compared with what its handler returned, taken
 * just before serialisation: a field a schema forgets is a field every screen silently loses.
 */
describe('response schemas', () => {
  let server: TestServer;
  const returned: { method: string; url: string; payload: unknown }[] = [];
  let nurse: Api;
  let coordinator: Api;
  let admin: Api;
  let caseId: string;
  let today: string;

  beforeAll(async () => {
    server = await startServer({}, mkdtempSync(join(tmpdir(), 'cryoday-')), {
      beforeListen: (app) =>
        app.addHook('preSerialization', async (request, _reply, payload) => {
          returned.push({ method: request.method, url: request.url, payload: JSON.parse(JSON.stringify(payload)) });
          return payload;
        }),
    });
    const staff = await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
    const radiologist = await Api.login(server, 'radiologist');
    coordinator = await Api.login(server, 'coordinator');
    admin = await Api.login(server, 'admin');
    today = dayOf(new Date(), server.config.timezone);
    caseId = await bookCaseInThePast(server, staff.coordinator, 180, newCaseBody({ patientPhone: '06 11 22 33 44' }));
    const users = { nurse, radiologist };
    for (const [who, command] of wholeDay('room-1', minutesAgo(Date.now()))) await users[who].command(caseId, command);
    await nurse.command(caseId, { type: 'record_pain_score', score: 7, moment: 'admission' });
    await nurse.command(caseId, { type: 'record_pain_score', score: 2, moment: 'followup_d1' });
    await admin.request('PUT', '/api/admin/unit', { name: 'Radiologie', address: '1 rue', dayPhone: '01 23 45 67 89', nightPhone: '', referringRadiologist: 'Dr Roche' });
  });

  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  /** The answer as sent, checked against what its handler returned. */
  async function sent(user: Api, method: string, path: string, body?: unknown) {
    const before = returned.length;
    const res = await user.request(method, path, body, method === 'GET' ? {} : { 'idempotency-key': crypto.randomUUID() });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    const handled = returned.slice(before).find((r) => r.method === method && r.url === path);
    expect(handled, `${method} ${path} went through the serializer`).toBeDefined();
    expect(res.body, `${method} ${path}`).toEqual(handled!.payload);
    return res.body;
  }

  it('declares a success answer on every route of the API document', async () => {
    const document = (await admin.get('/api/openapi.json')).body as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ route: `${method} ${path}`, op })));
    expect(operations.length).toBeGreaterThan(20);
    const without = operations.filter(({ op }) => !Object.keys(op.responses ?? {}).some((status) => /^2\d\d$/.test(status))).map(({ route }) => route);
    expect(without).toEqual([]);
  });

  it('sends every field the case, command and room handlers return', async () => {
    await sent(nurse, 'GET', '/api/auth/me');
    await sent(nurse, 'GET', `/api/cases?date=${today}`);
    const whole = (await sent(nurse, 'GET', `/api/cases/${caseId}`)) as { case: { version: number; discharge: unknown; vitals: unknown[] } };
    // A case folded through a whole day holds the deep records the screens read.
    expect(whole.case.discharge).toBeTruthy();
    expect(whole.case.vitals.length).toBeGreaterThan(0);
    await sent(nurse, 'POST', `/api/cases/${caseId}/commands`, { type: 'record_pain_score', score: 3, moment: 'followup_m1', expectedVersion: whole.case.version });
    await sent(coordinator, 'POST', '/api/cases', newCaseBody({ plannedRoomId: 'room-2' }));
    await sent(nurse, 'GET', '/api/rooms');
    await sent(nurse, 'POST', '/api/rooms/room-1/commands', { type: 'room_ready' });
    await sent(nurse, 'GET', '/api/health');
  });

  it('sends every field of the day report and the follow-up list', async () => {
    const report = (await sent(coordinator, 'GET', `/api/reports/day?date=${today}`)) as { cases: unknown[]; targets: unknown[]; rooms: unknown[] };
    expect(report.cases.length).toBeGreaterThan(0);
    expect(report.targets.length).toBeGreaterThan(0);
    const list = (await sent(coordinator, 'GET', '/api/follow-up')) as { patients: { relief: unknown }[] };
    expect(list.patients[0]?.relief).toBeTruthy();
  });

  it('sends every field of the account, token and unit answers', async () => {
    const created = (await sent(admin, 'POST', '/api/admin/staff', { username: 'paul', displayName: 'Paul Petit', role: 'nurse' })) as { id: string };
    await sent(admin, 'POST', `/api/admin/staff/${created.id}/disable`);
    await sent(admin, 'POST', `/api/admin/staff/${created.id}/enable`);
    await sent(admin, 'POST', `/api/admin/staff/${created.id}/reset-password`);
    await sent(admin, 'GET', '/api/admin/staff');
    const audit = (await sent(admin, 'GET', '/api/admin/audit?limit=2')) as { nextBefore: number | null };
    expect(audit.nextBefore).not.toBeNull();
    const token = (await sent(admin, 'POST', '/api/admin/display-tokens', { name: 'Mur' })) as { id: string };
    await sent(admin, 'POST', `/api/admin/display-tokens/${token.id}/revoke`);
    await sent(admin, 'GET', '/api/admin/display-tokens');
    await sent(nurse, 'GET', '/api/unit');
    await sent(admin, 'GET', '/api/admin/unit/history');
  });
});
