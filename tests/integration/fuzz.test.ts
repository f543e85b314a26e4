import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, bookCaseInThePast, seedStaff } from '../support/api';
import { removeDir, startServer, type TestServer } from '../support/server';

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
  let cookie: string;
  let caseId: string;

  beforeAll(async () => {
    server = await startServer();
    const staff = await seedStaff(server);
    cookie = (await Api.login(server, 'radiologist')).cookie;
    caseId = bookCaseInThePast(server, staff.coordinator, 30);
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it(`answers ${REQUESTS} malformed or hostile requests without a 5xx, a crash or a change`, async () => {
    const sqlite = server.app.database.sqlite;
    const fingerprint = () => JSON.stringify([sqlite.prepare('select count(*) n from events').get(), sqlite.prepare('select id, version from cases').all()]);
    const before = fingerprint();

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
    ];
    const hostileJson = fc.oneof(
      fc.json({ depthSize: 'medium' }),
      fc.jsonValue().map((v) => JSON.stringify({ type: 'start_freeze', expectedVersion: 1, gas: v, plannedSeconds: v })),
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
      fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.concat([Buffer.from('{"type":"'), Buffer.from(a), Buffer.from('"}')])),
      fc.constant(Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc])),
    );
    const request = fc.record({
      method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH'),
      path: fc.oneof(fc.constantFrom(...paths), fc.string({ maxLength: 40 }).map((s) => `/api/cases/${encodeURIComponent(s)}/commands`)),
      contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'),
      signedIn: fc.boolean(),
      lang: fc.constantFrom('fr', 'en', 'de', '*', ';;;q=abc'),
      body: bodyBytes,
    });

    const samples = fc.sample(request, { numRuns: REQUESTS, seed: 20261125 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const statuses = new Map<number, number>();
    const unexpected: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < samples.length) {
          const r = samples[next++]!;
          const headers: Record<string, string> = { 'content-type': r.contentType, 'accept-language': r.lang };
          if (r.signedIn) headers.cookie = cookie;
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
    expect(fingerprint()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Still serving, still deciding.
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
  }, 120_000);
});
