import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';
import { Api, LiveClient, seedStaff, TEST_PASSWORD } from '../support/api';
import { attemptLogin, http } from '../support/auth';
import { removeDir, startServer, type TestServer } from '../support/server';

const opened = async (client: LiveClient) => {
  await client.waitFor((m) => m[0]?.type === 'snapshot');
  return client;
};

describe('sessions: an absolute lifetime on top of the idle one', () => {
  let server: TestServer;
  beforeAll(async () => {
    // A 4-second lifetime, a shift-long idle limit, a heartbeat every 200 ms: only the lifetime can end it.
    server = await startServer({ SESSION_MAX_HOURS: String(4 / 3600), SESSION_IDLE_HOURS: '12', LIVE_HEARTBEAT_SECONDS: '0.2' });
    await seedStaff(server);
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('ends a session used without pause once its lifetime is up, and closes its live socket', async () => {
    const signIn = await attemptLogin(server, 'nurse', TEST_PASSWORD);
    expect(signIn.status).toBe(200);
    // The cookie does not outlive the session either.
    expect(signIn.headers.get('set-cookie')).toMatch(/Max-Age=4;/);
    const nurse = new Api(server, signIn.headers.get('set-cookie')!.split(';')[0]!);
    const client = await opened(LiveClient.staff(server, nurse));
    expect((await nurse.get('/api/auth/me')).status).toBe(200);
    // Used all along, so the idle clock never runs out: the lifetime alone ends it.
    await expect.poll(async () => (await nurse.get('/api/auth/me')).status, { timeout: 8000, interval: 250 }).toBe(401);
    await expect(client.closed).resolves.toMatchObject({ code: 4401 });
    // Signing in again gives a fresh lifetime.
    const again = await Api.login(server, 'nurse');
    expect((await again.get('/api/auth/me')).status).toBe(200);
  });
});

describe('sessions: signing in over another session ends it', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ LIVE_HEARTBEAT_SECONDS: '0.2' });
    await seedStaff(server);
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('revokes the nurse\'s session and closes her feed when the radiologist signs in on her tablet', async () => {
    const nurse = await Api.login(server, 'nurse');
    const feed = await opened(LiveClient.staff(server, nurse));

    const over = await attemptLogin(server, 'radiologist', TEST_PASSWORD, { cookie: nurse.cookie });
    expect(over.status).toBe(200);
    const radiologist = new Api(server, over.headers.get('set-cookie')!.split(';')[0]!);

    expect((await nurse.get('/api/auth/me')).status).toBe(401);
    await expect(feed.closed).resolves.toMatchObject({ code: 4401 });
    expect((await radiologist.get('/api/auth/me')).body.role).toBe('radiologist');
    // The old cookie opens no new feed either.
    await expect(LiveClient.staff(server, nurse).closed).resolves.toMatchObject({ code: 4401 });
  });

  it('leaves the session alone when the sign-in over it fails', async () => {
    const nurse = await Api.login(server, 'nurse');
    const failed = await attemptLogin(server, 'radiologist', 'not-the-password', { cookie: nurse.cookie });
    expect(failed.status).toBe(401);
    expect((await nurse.get('/api/auth/me')).status).toBe(200);
  });

  it('replaces the session when the same user signs in again', async () => {
    const first = await Api.login(server, 'coordinator');
    const again = await http(server, 'POST', '/api/auth/login', { cookie: first.cookie, body: { username: 'coordinator', password: TEST_PASSWORD } });
    expect(again.status).toBe(200);
    expect((await first.get('/api/auth/me')).status).toBe(401);
    expect((await new Api(server, again.headers.get('set-cookie')!.split(';')[0]!).get('/api/auth/me')).status).toBe(200);
  });
});

describe('SESSION_MAX_HOURS setting', () => {
  const read = (value: string) => loadConfig({ DATABASE_PATH: '/tmp/unused.sqlite', SESSION_MAX_HOURS: value }).sessionMaxMs;
  it('defaults to 24 hours and refuses zero or nonsense', () => {
    expect(loadConfig({ DATABASE_PATH: '/tmp/unused.sqlite' }).sessionMaxMs).toBe(24 * 3_600_000);
    expect(read('8')).toBe(8 * 3_600_000);
    for (const bad of ['0', '-1', 'day', '1000']) expect(() => read(bad), bad).toThrow(ConfigError);
  });
});
