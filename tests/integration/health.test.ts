import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startServer, type TestServer } from '../support/server';

describe('health and the built site', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it('answers /api/health after reading the database', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', seq: 0 });
  });

  it('serves the single-page app on deep links and problem+json on unknown API paths', async () => {
    const page = await fetch(`${server.url}/cases/some-case`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div style="display: contents">');
    const api = await fetch(`${server.url}/api/unknown`, { headers: { 'accept-language': 'en' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    expect(await api.json()).toMatchObject({ status: 404, code: 'not_found', detail: 'This resource does not exist.' });
  });
});
