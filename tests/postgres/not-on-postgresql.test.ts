import { afterAll, beforeAll, expect, it } from 'vitest';
import { Api } from '../support/api';
import { describePostgres, newDatabase } from '../support/pg';
import { removeDir, startServer, type TestServer } from '../support/server';
import { preparePostgres } from './app-fixtures';

// Every route still written for the SQLite connection (docs/architecture.md, "Not on PostgreSQL yet").
const NOT_ON_POSTGRESQL = [
  'POST /api/fhir/Appointment',
  'POST /api/fhir',
  'GET /api/interfaces/messages',
  'GET /api/interfaces/messages/{id}/raw',
  'POST /api/interfaces/messages/{id}/apply',
];

describePostgres('routes not on PostgreSQL yet', () => {
  let server: TestServer;
  let admin: Api;

  beforeAll(async () => {
    const url = await newDatabase('not_on_pg');
    await preparePostgres(url);
    server = await startServer({ DATABASE_URL: url });
    admin = await Api.login(server, 'admin');
  });
  afterAll(async () => {
    await server?.close();
    if (server) removeDir(server.dir);
  });

  it('answers each of them 501 not_on_postgresql in the reader’s language, and no route a 500', async () => {
    const description = (await admin.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const refused: string[] = [];
    const french = new Api(server, admin.cookie, 'fr');
    for (const [path, methods] of Object.entries(description.paths)) {
      for (const method of Object.keys(methods).map((m) => m.toUpperCase())) {
        // Signing out would end the walk's own session.
        if (path === '/api/auth/logout') continue;
        const route = `${method} ${path}`;
        const url = path.replace(/\{[^}]+\}/g, 'x-1');
        const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
        const res = await french.request(method, url, body);
        expect(res.status, route).not.toBe(500);
        if (res.status !== 501) continue;
        refused.push(route);
        expect(res.headers.get('content-type'), route).toContain('application/problem+json');
        expect(res.body, route).toMatchObject({ status: 501, code: 'not_on_postgresql', title: 'Pas encore disponible sur PostgreSQL' });
      }
    }
    expect(refused.sort()).toEqual([...NOT_ON_POSTGRESQL].sort());
    // In English too; and signed out, the sign-in check still comes first.
    const english = await admin.get('/api/interfaces/messages');
    expect(english.body).toMatchObject({ code: 'not_on_postgresql', title: 'Not available on PostgreSQL yet' });
    expect((await fetch(`${server.url}/api/interfaces/messages`)).status).toBe(401);
  });
});

