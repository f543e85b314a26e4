import { afterAll, beforeAll, expect, it } from 'vitest';
import { dayOf, DEFAULT_SETTINGS } from '../../shared';
import { Api, LiveClient, newCaseBody } from '../support/api';
import { describePostgres } from '../support/pg';
import type { Cluster } from '../support/postgres';
import type { TestServer } from '../support/server';
import { serverOnOwnCluster } from './app-fixtures';

const today = dayOf(new Date().toISOString(), DEFAULT_SETTINGS.timeZone);

describePostgres('a database out of reach, then back', () => {
  let cluster: Cluster;
  let server: TestServer;
  let closeServer: () => Promise<void>;
  let coordinator: Api;
  let live: LiveClient;

  beforeAll(async () => {
    ({ cluster, server, close: closeServer } = await serverOnOwnCluster('unreachable'));
    coordinator = await Api.login(server, 'coordinator');
    live = LiveClient.staff(server, coordinator);
    // Holding the day's list before the outage: a snapshot still being read when the database stops is
    // (rightly) a dropped socket, and this test is about a socket that lives through the outage.
    await live.waitFor((messages) => messages[0]?.type === 'snapshot');
  }, 60_000);
  afterAll(async () => {
    live?.close();
    await closeServer?.();
  });

  const expectUnavailable = (res: { status: number; headers: Headers; body: any }, title: string) => {
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 503, code: 'database_unavailable', title });
  };

  it('given the database stopped, then each request that needs it is answered 503 with Retry-After, translated, and once it is back the next ones work without a restart', async () => {
    expect((await coordinator.post('/api/cases', newCaseBody())).status).toBeLessThan(300);
    expect((await coordinator.get('/api/cases')).status).toBe(200);

    cluster.halt();
    const french = new Api(server, coordinator.cookie, 'fr');
    expectUnavailable(await french.get('/api/cases'), 'Base de données injoignable');
    expect((await french.get('/api/cases')).body.detail).toContain('réessayez');
    expectUnavailable(await coordinator.get('/api/cases'), 'Database out of reach');
    expectUnavailable(await coordinator.post('/api/cases', newCaseBody()), 'Database out of reach');
    expectUnavailable(await coordinator.get('/api/health'), 'Database out of reach');
    // Read by the report worker, through its own connections: the same answer.
    expectUnavailable(await coordinator.get(`/api/reports/range?from=${today}&to=${today}`), 'Database out of reach');
    expectUnavailable(await coordinator.get(`/api/reports/cases.csv?from=${today}&to=${today}`), 'Database out of reach');
    // Signing in needs the database too.
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nurse', password: 'x'.repeat(12) }),
    });
    expect(login.status).toBe(503);

    cluster.resume();
    expect((await coordinator.get('/api/health')).status).toBe(200);
    const listed = await coordinator.get('/api/cases');
    expect(listed.status).toBe(200);
    const booked = await coordinator.post('/api/cases', newCaseBody());
    expect(booked.status).toBeLessThan(300);
    const csv = await coordinator.get(`/api/reports/cases.csv?from=${today}&to=${today}`);
    expect(csv.status).toBe(200);
    expect(String(csv.body).split('\r\n').length).toBe(2 + 2);
    // The live feed's listener came back by itself: the case booked after the outage reaches the socket.
    await live.waitFor((messages) => messages.some((m) => m.type === 'event' && m.caseId === booked.body.case.id), 15_000);
    await Api.login(server, 'nurse');
  }, 60_000);
});
