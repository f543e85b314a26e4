import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, bookCaseInThePast, newCaseBody, seedStaff } from '../support/api';
import { removeDir, startServer, type TestServer } from '../support/server';
import { sql } from '../support/sql';

const REQUESTS = 10_000;
const CONCURRENCY = 16;

/** A raw HTTP request: bytes as given (invalid UTF-8 included), no client-side validation. */
function send(server: TestServer, agent: http.Agent, method: string, path: string, headers: Record<string, string>, body: Buffer | null) {
  return new Promise<{ status: number; type: string }>((resolve, reject) => {
    const url = new URL(server.url);
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) }, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? '') }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

describe('fuzz: hostile requests against every route', () => {
  let server: TestServer;
  const cookies = new Map<string, string>();
  let caseId: string;

  beforeAll(async () => {
    server = await startServer();
    const staff = await seedStaff(server);
    // Every role, so hostile requests pass the role checks and reach validation, the machine and the commit.
    for (const role of ['nurse', 'radiologist', 'coordinator', 'admin']) cookies.set(role, (await Api.login(server, role)).cookie);
    caseId = await bookCaseInThePast(server, staff.coordinator, 30);
    await server.app.accounts.createDisplayToken('Mur', new Date());
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it(`answers ${REQUESTS} malformed or hostile requests without a 5xx, a crash or a change`, async () => {
    const fingerprint = async () =>
      JSON.stringify([
        await sql(server, 'select count(*) n from events'),
        await sql(server, 'select id, version from cases order by id'),
        await sql(server, 'select count(*) n from patients'),
        await sql(server, 'select id, active, role, password_hash from staff order by id'),
        await sql(server, 'select id, revoked_at from display_tokens order by id'),
        await sql(server, 'select id, status, case_id from rooms order by id'),
      ]);
    const before = await fingerprint();

    const paths = [
      `/api/cases/${caseId}/commands`,
      '/api/cases',
      `/api/cases/${caseId}`,
      '/api/rooms/room-1/commands',
      '/api/auth/login',
      '/api/rooms',
      '/api/cases?date=',
      `/api/cases/${caseId}/commands/../../../etc/passwd`,
      '/api/%2e%2e/%2e%2e/etc/passwd',
      '/api/cases/%00',
      '/api/live',
      '/api/admin/staff',
      '/api/admin/staff/%00/disable',
      '/api/admin/staff/../../etc/passwd/enable',
      '/api/admin/staff/no-such-id/reset-password',
      '/api/admin/display-tokens',
      `/api/admin/display-tokens/${'x'.repeat(300)}/revoke`,
      '/api/auth/me',
      `/api/cases/${caseId}/fhir`,
      '/api/cases/no-such-case/fhir',
      '/api/follow-up',
      '/api/openapi.json',
    ];
    const queryPaths = fc.oneof(
      fc.string({ maxLength: 60 }).map((q) => `/api/reports/day?date=${encodeURIComponent(q)}`),
      fc.tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 })).map(([a, b]) => `/api/reports/cases.csv?from=${encodeURIComponent(a)}&to=${encodeURIComponent(b)}`),
      fc.tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 })).map(([a, b]) => `/api/reports/freeze-cycles.csv?from=${encodeURIComponent(a)}&to=${encodeURIComponent(b)}`),
      fc.constantFrom('/api/reports/cases.csv?from=1900-01-01&to=2999-12-31', '/api/reports/day?date=2026-02-30', '/api/follow-up?from=9999-99-99', '/api/cases?date=2026-02-30&date=x', '/api/reports/freeze-cycles.csv?from=2026-01-01&from=2026-02-01&to=%ZZ'),
      fc.string({ maxLength: 40 }).map((s) => `/api/admin/staff/${encodeURIComponent(s)}/disable`),
    );
    // Well-formed bodies a schema accepts but the procedure must refuse: they reach decide() and the
    // group commit, at the case's real version, and must still change nothing.
    const refusedCommands = fc.oneof(
      fc.constantFrom(
        { type: 'discharge', escortConfirmed: true, instructionsGiven: true },
        { type: 'start_freeze', gas: 'N2O', plannedSeconds: 180 },
        { type: 'end_freeze', lowestTempC: -80 },
        { type: 'remove_probe' },
        { type: 'enter_room', roomId: 'room-1' },
        { type: 'mark_ready' },
        { type: 'correct_last', reason: 'erreur de saisie' },
        { type: 'admit', occurredAt: '2016-12-31T23:59:60Z' },
        { type: 'admit', occurredAt: '2001-01-01T00:00:00Z' },
        { type: 'admit', occurredAt: '2999-01-01T00:00:00+14:00' },
        { type: 'reschedule_case', scheduledAt: '2016-12-31T23:59:60Z' },
        { type: 'reschedule_case', plannedRoomId: 'room-404' },
        // The procedure-room safety commands, each a valid body the machine refuses here.
        { type: 'record_vitals', heartRate: 70, systolic: 80, diastolic: 120, spo2: 98 },
        { type: 'confirm_time_out', identityConfirmed: true, procedureConfirmed: true, targets: [{ nerve: 'genicular', side: 'left' }], siteMarked: true, allergiesReviewed: true, anticoagulationReviewed: true, imagingReviewed: true, equipmentChecked: true },
        { type: 'confirm_sign_out', cyclesReviewed: true, complicationsReviewed: false, instructionsHandedOver: true },
        { type: 'record_aldrete', activity: 2, respiration: 2, circulation: 2, consciousness: 2, oxygenSaturation: 2 },
        { type: 'give_local_anesthesia', agent: 'lidocaine', concentrationPercent: 1, volumeMl: 100 },
        { type: 'position_probe', target: { nerve: 'genicular', side: 'left' }, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 }, offPlanReason: 'hors plan' },
        { type: 'record_checklist', weightKg: 70, allergies: { has: true } },
      ),
    ).map((c) => JSON.stringify({ expectedVersion: 1, ...c }));
    const refusedSchedules = fc
      .constantFrom('2016-12-31T23:59:60Z', '2026-02-30T10:00:00Z', '2026-11-25T25:00:00Z', '2026-11-25T10:00:00.123456789+99:00')
      .map((scheduledAt) => JSON.stringify(newCaseBody({ scheduledAt })));
    const hostileJson = fc.oneof(
      fc.json({ depthSize: 'medium' }),
      fc.jsonValue().map((v) => JSON.stringify({ type: 'start_freeze', expectedVersion: 1, gas: v, plannedSeconds: v })),
      fc.jsonValue().map((v) => JSON.stringify({ type: 'confirm_time_out', expectedVersion: 1, identityConfirmed: v, targets: v, siteMarked: true })),
      fc.jsonValue().map((v) => JSON.stringify({ type: 'give_local_anesthesia', expectedVersion: 1, agent: v, concentrationPercent: v, volumeMl: v, withEpinephrine: v })),
      fc.jsonValue().map((v) => JSON.stringify({ type: 'record_checklist', expectedVersion: 1, weightKg: v, allergies: { has: true, allergens: v } })),
      fc.record({ type: fc.constantFrom('admit', 'enter_room', 'end_freeze', 'discharge', 'record_vitals', 'x'), expectedVersion: fc.oneof(fc.integer(), fc.double(), fc.string()), roomId: fc.string(), lowestTempC: fc.double(), heartRate: fc.oneof(fc.integer(), fc.constant(null)), extra: fc.anything() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.integer({ min: 1, max: 5000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
      fc.integer({ min: 1, max: 3000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.constant('{"__proto__":{"polluted":true},"type":"admit","expectedVersion":1}'),
      fc.constant('{"constructor":{"prototype":{"polluted":true}}}'),
      fc.integer({ min: 10_000, max: 300_000 }).map((n) => JSON.stringify({ type: 'cancel', reason: 'other', note: 'x'.repeat(n), expectedVersion: 1 })),
    );
    const bodyBytes = fc.oneof(
      hostileJson.map((s) => Buffer.from(s, 'utf8')),
      fc.oneof(refusedCommands, refusedSchedules).map((s) => Buffer.from(s, 'utf8')),
      fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.concat([Buffer.from('{"type":"'), Buffer.from(a), Buffer.from('"}')])),
      fc.constant(Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc])),
    );
    const request = fc.record({
      method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH'),
      path: fc.oneof(
        fc.constantFrom(...paths),
        queryPaths,
        fc.string({ maxLength: 40 }).map((s) => `/api/cases/${encodeURIComponent(s)}/commands`),
      ),
      contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'),
      as: fc.constantFrom(null, 'nurse', 'radiologist', 'coordinator', 'admin'),
      lang: fc.constantFrom('fr', 'en', 'de', '*', ';;;q=abc'),
      body: bodyBytes,
    });

    // A tenth aimed past validation: well-formed bodies from a role allowed to send them, which only
    // the machine (or the instant check) can refuse.
    const aimed = fc.oneof(
      fc.record({ method: fc.constant('POST'), path: fc.constant(`/api/cases/${caseId}/commands`), contentType: fc.constant('application/json'), as: fc.constantFrom('nurse', 'radiologist'), lang: fc.constantFrom('fr', 'en'), body: refusedCommands.map((b) => Buffer.from(b)) }),
      fc.record({ method: fc.constant('POST'), path: fc.constant('/api/cases'), contentType: fc.constant('application/json'), as: fc.constant('coordinator'), lang: fc.constantFrom('fr', 'en'), body: refusedSchedules.map((b) => Buffer.from(b)) }),
    );
    const wild = fc.sample(request, { numRuns: REQUESTS * 0.9, seed: 20261125 });
    const targeted = fc.sample(aimed, { numRuns: REQUESTS * 0.1, seed: 20261126 });
    // Every tenth request is an aimed one, so they race the wild ones through the same group commits.
    const samples = wild.flatMap((r, i) => (i % 9 === 8 && targeted.length > 0 ? [r, targeted.pop()!] : [r])).concat(targeted);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const statuses = new Map<number, number>();
    const unexpected: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < samples.length) {
          const r = samples[next++]!;
          const headers: Record<string, string> = { 'content-type': r.contentType, 'accept-language': r.lang };
          if (r.as) headers.cookie = cookies.get(r.as)!;
          const hasBody = r.method !== 'GET' && r.method !== 'DELETE';
          const res = await send(server, agent, r.method, r.path, headers, hasBody ? r.body : null);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500 || (res.status >= 200 && res.status < 300 && r.method !== 'GET')) {
            unexpected.push(`${res.status} ${r.method} ${r.path} ${r.body.subarray(0, 120).toString()}`);
          }
          if (res.status >= 400 && !res.type.includes('application/problem+json') && !(res.status === 404 && r.method === 'GET')) {
            unexpected.push(`not problem+json: ${res.status} ${res.type} ${r.method} ${r.path}`);
          }
        }
      }),
    );
    agent.destroy();
    console.log(`fuzz statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);

    expect(unexpected.slice(0, 10)).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(REQUESTS);
    expect(await fingerprint()).toBe(before);
    // The machine itself was reached and refused, not only the validators.
    expect(statuses.get(422) ?? 0).toBeGreaterThan(100);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Still serving, still deciding.
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
  }, 120_000);
});
