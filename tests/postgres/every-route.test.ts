import { afterAll, beforeAll, expect, it } from 'vitest';
import { Api } from '../support/api';
import { describePostgres, newDatabase } from '../support/pg';
import { removeDir, startServer, type TestServer } from '../support/server';
import { preparePostgres } from './app-fixtures';

describePostgres('every route on PostgreSQL', () => {
  let server: TestServer;
  let admin: Api;

  beforeAll(async () => {
    const url = await newDatabase('every_route');
    await preparePostgres(url);
    server = await startServer({ DATABASE_URL: url });
    admin = await Api.login(server, 'admin');
  });
  afterAll(async () => {
    await server?.close();
    if (server) removeDir(server.dir);
  });

  it('given every route of the API description, when each is called with an empty body, then none answers 500 or 501', async () => {
    const description = (await admin.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const walked: string[] = [];
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
        expect(res.status, route).not.toBe(501);
        walked.push(route);
      }
    }
    // The walk reached the routes that were the last on SQLite only.
    expect(walked).toEqual(expect.arrayContaining(['POST /api/fhir/Appointment', 'POST /api/fhir', 'GET /api/interfaces/messages', 'POST /api/interfaces/messages/{id}/apply']));
    expect((await fetch(`${server.url}/api/interfaces/messages`)).status).toBe(401);
  });
});
