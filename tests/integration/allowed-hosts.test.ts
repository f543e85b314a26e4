import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../../server/app';
import { ConfigError, loadConfig } from '../../server/config';
import { login } from '../support/auth';
import { rawRequest } from '../support/raw-http';
import { removeDir, startServer, type TestServer } from '../support/server';

const PASSWORD = 'bonjour-la-salle-2';
const signIn = { username: 'ines', password: PASSWORD };

/** The handshake's HTTP answer, or 101 when the socket opened. */
function handshake(server: TestServer, headers: Record<string, string>, cookie: string) {
  return new Promise<{ status: number; closed: Promise<void> }>((resolve, reject) => {
    const socket = new WebSocket(`${server.wsUrl}/api/live`, { headers: { cookie, ...headers } });
    socket.once('open', () => {
      resolve({ status: 101, closed: Promise.resolve() });
      socket.close();
    });
    socket.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, closed: new Promise((done) => res.socket.once('close', () => done())) });
    });
    socket.once('error', reject);
  });
}

// DNS rebinding: evil.example re-pointed at the unit's server reaches it with "Host: evil.example".
describe('Host header check (DNS rebinding)', () => {
  let server: TestServer;
  let port: string;
  beforeAll(async () => {
    server = await startServer();
    port = new URL(server.url).port;
    await server.app.accounts.createStaff({ username: 'ines', displayName: 'Inès Martin', role: 'nurse', password: PASSWORD });
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('refuses a sign-in sent under another name with 421 problem+json, in French and English, and sets no cookie', async () => {
    const en = await rawRequest(server, 'POST', '/api/auth/login', { headers: { host: `evil.example:${port}` }, body: signIn });
    expect(en.status).toBe(421);
    expect(en.headers['content-type']).toContain('application/problem+json');
    expect(en.body).toMatchObject({ status: 421, code: 'misdirected_request' });
    expect(en.body.detail).toMatch(/does not name this CryoDay server/);
    expect(en.headers['set-cookie']).toBeUndefined();
    const fr = await rawRequest(server, 'POST', '/api/auth/login', { headers: { host: 'evil.example', 'accept-language': 'fr' }, body: signIn });
    expect(fr.status).toBe(421);
    expect(fr.body.detail).toMatch(/ne désigne pas ce serveur/);
  });

  it('answers the same names it listens on: the listen address, localhost and 127.0.0.1, with or without port', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'LOCALHOST', `[::1]:${port}`]) {
      const res = await rawRequest(server, 'POST', '/api/auth/login', { headers: { host }, body: signIn });
      expect(res.status, host).toBe(200);
    }
  });

  it('covers the site, the health route and unknown paths alike', async () => {
    for (const path of ['/', '/api/health', '/api/no-such-route', '/board']) {
      const res = await rawRequest(server, 'GET', path, { headers: { host: 'evil.example' } });
      expect(res.status, path).toBe(421);
      expect(res.body.code, path).toBe('misdirected_request');
    }
    // A look-alike is another name.
    expect((await rawRequest(server, 'GET', '/api/health', { headers: { host: 'localhost.evil.example' } })).status).toBe(421);
  });

  it('refuses the live socket handshake under another name and closes its connection', async () => {
    const cookie = await login(server, 'ines', PASSWORD);
    const refused = await handshake(server, { host: `evil.example:${port}` }, cookie);
    expect(refused.status).toBe(421);
    await refused.closed;
    expect((await handshake(server, {}, cookie)).status).toBe(101);
  });
});

describe('Host header check behind a proxy, with ALLOWED_HOSTS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ TRUST_PROXY: '1', ALLOWED_HOSTS: 'cryoday.hopital.example, cryoday' });
    await server.app.accounts.createStaff({ username: 'ines', displayName: 'Inès Martin', role: 'nurse', password: PASSWORD });
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('answers the listed names, directly or as X-Forwarded-Host from the trusted proxy, and nothing else', async () => {
    expect((await rawRequest(server, 'POST', '/api/auth/login', { headers: { host: 'cryoday.hopital.example' }, body: signIn })).status).toBe(200);
    expect((await rawRequest(server, 'POST', '/api/auth/login', { headers: { host: 'CryoDay:443' }, body: signIn })).status).toBe(200);
    const forwarded = (name: string) =>
      rawRequest(server, 'POST', '/api/auth/login', { headers: { host: '127.0.0.1', 'x-forwarded-host': name }, body: signIn });
    expect((await forwarded('cryoday.hopital.example')).status).toBe(200);
    expect((await forwarded('evil.example')).status).toBe(421);
    expect((await rawRequest(server, 'GET', '/api/health', { headers: { host: 'evil.example' } })).status).toBe(421);
  });
});

describe('ALLOWED_HOSTS setting', () => {
  const base = { DATABASE_PATH: '/tmp/unused.sqlite' };

  /** What the server logs while it starts with `env`. */
  async function startLog(env: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'cryoday-'));
    let log = '';
    const app = await buildApp(loadConfig({ DATABASE_PATH: join(dir, 'db.sqlite'), PORT: '0', ...env }), { logStream: { write: (line) => void (log += line) } });
    await app.ready();
    await app.close();
    removeDir(dir);
    return log;
  }

  it('warns at start when the server listens on every interface and names no host', async () => {
    expect(await startLog({ HOST: '0.0.0.0' })).toMatch(/ALLOWED_HOSTS is empty/);
    expect(await startLog({ HOST: '0.0.0.0', ALLOWED_HOSTS: 'cryoday.local' })).not.toMatch(/ALLOWED_HOSTS/);
    expect(await startLog({ HOST: '127.0.0.1' })).not.toMatch(/ALLOWED_HOSTS/);
  });

  it('adds the listen address and loopback names, never a wildcard address', () => {
    expect(loadConfig({ ...base, HOST: '192.168.10.4' }).allowedHosts).toEqual(['192.168.10.4', 'localhost', '127.0.0.1', '::1']);
    expect(loadConfig({ ...base, HOST: '0.0.0.0', ALLOWED_HOSTS: 'CryoDay.Local.' }).allowedHosts).toEqual(['localhost', '127.0.0.1', '::1', 'cryoday.local']);
  });
  it('refuses a value that is no host name', () => {
    expect(() => loadConfig({ ...base, ALLOWED_HOSTS: 'http://cryoday/' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ALLOWED_HOSTS: '*' })).toThrow(ConfigError);
  });
});
