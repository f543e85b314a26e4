import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE_ROOT } from '../../server/plugins/static-site';
import { Api, bookCaseInThePast, seedStaff } from '../support/api';
import { http } from '../support/auth';
import { removeDir, startServer, type TestServer } from '../support/server';

const BUILT = existsSync(resolve(SITE_ROOT, 'service-worker.js'));

const csp = (header: string | null) =>
  Object.fromEntries((header ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name!, sources]));

// The installable shell is served so a tablet picks up a new release at its next load, under the
// same policy as the rest of the site; the outbox's late steps are judged by the usual time rules.
describe('the offline shell and late steps', () => {
  let server: TestServer;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  beforeAll(async () => {
    server = await startServer();
    staff = await seedStaff(server);
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it.skipIf(!BUILT)('serves the service worker and the manifest revalidated, with the site’s policy allowing exactly them', async () => {
    const worker = await http(server, 'GET', '/service-worker.js');
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toMatch(/javascript/);
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    const policy = csp(worker.headers.get('content-security-policy'));
    expect(policy['worker-src']).toEqual(["'self'"]);
    expect(policy['manifest-src']).toEqual(["'self'"]);

    const manifest = await http(server, 'GET', '/manifest.webmanifest');
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(manifest.headers.get('cache-control')).toBe('no-cache');
    expect(manifest.body).toMatchObject({ name: 'CryoDay', display: 'standalone', start_url: '/', scope: '/' });
    for (const icon of manifest.body.icons as { src: string; type: string }[]) {
      const res = await http(server, 'GET', icon.src);
      expect(res.status, icon.src).toBe(200);
      expect(res.headers.get('content-type')).toContain(icon.type);
    }

    const page = await http(server, 'GET', '/');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.text).toContain('rel="manifest"');
    // The hashed build files stay cacheable: the shell the worker precaches.
    expect((await http(server, 'GET', '/favicon.svg')).headers.get('cache-control')).not.toBe('no-cache');
    // And those named by their content are kept for good: a page load does not ask for them again.
    const hashed = page.text.match(/\/_app\/immutable\/[^"]+\.js/)![0];
    const script = await http(server, 'GET', hashed);
    expect(script.status, hashed).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('accepts a step replayed hours after its tap while nothing happened since, and refuses it, in words, once a later step is recorded', async () => {
    const caseId = await bookCaseInThePast(server, staff.coordinator, 240);
    const nurse = await Api.login(server, 'nurse');
    const threeHoursAgo = new Date(Date.now() - 180 * 60_000).toISOString();
    const late = await nurse.post(`/api/cases/${caseId}/commands`, { type: 'admit', expectedVersion: 1, occurredAt: threeHoursAgo }, { 'idempotency-key': 'late-step-1' });
    expect(late.status).toBe(200);
    expect(late.body.events[0].occurredAt).toBe(threeHoursAgo);
    expect(Date.parse(late.body.events[0].recordedAt) - Date.parse(threeHoursAgo)).toBeGreaterThan(179 * 60_000);

    const earlier = new Date(Date.now() - 200 * 60_000).toISOString();
    const refused = await nurse.post(
      `/api/cases/${caseId}/commands`,
      { type: 'cancel', reason: 'no_show', expectedVersion: late.body.case.version, occurredAt: earlier },
      { 'idempotency-key': 'late-step-2' },
    );
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.rule).toBe('occurred_at_before_previous');
  });
});
