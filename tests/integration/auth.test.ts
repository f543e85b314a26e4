import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenDigest } from '../../server/auth/tokens';
import { COMMAND_TYPES } from '../../shared';
import { attemptLogin, http, listedRoutes, login } from '../support/auth';
import { removeDir, startServer, type TestServer } from '../support/server';
import { sql, sqlRow } from '../support/sql';

const PASSWORD = 'bonjour-la-salle-2';

const sessionToken = (cookie: string) => decodeURIComponent(cookie.split('=')[1]!);

/**
 * The only API routes an anonymous caller may reach, written out here rather than read from the code
 * under test: opening one more route must fail this file until someone updates it on purpose.
 * (`/api/live` authenticates for itself: a session or a display token, tested below.)
 */
const EXPECTED_PUBLIC = new Map([
  // route → what an anonymous caller gets (sign-in with an empty body reaches validation: not a 401)
  ['GET /api/health', 200],
  ['HEAD /api/health', 200],
  ['POST /api/auth/login', 400],
  ['POST /api/auth/logout', 204],
  // The API description: public contract, no patient data.
  ['GET /api/openapi.json', 200],
  ['HEAD /api/openapi.json', 200],
]);
// The description's viewer and its assets: open, like the description they render.
const isDocs = (path: string) => path === '/api/docs' || path.startsWith('/api/docs/');

describe('sign-in and sessions', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Sign-in throttling has its own tests (auth-throttle); here it would only get in the way.
    server = await startServer({ LOGIN_RATE_LIMIT: '1000' });
    await server.app.accounts.createStaff({ username: 'ines', displayName: 'Inès Martin', role: 'nurse', password: PASSWORD });
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('sets an HttpOnly, SameSite=Strict session cookie that lives as long as the idle limit', async () => {
    const res = await attemptLogin(server, 'Ines', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Inès Martin', role: 'nurse' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^cryoday_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain(`Max-Age=${12 * 3600}`);
    // Served over plain HTTP here: a Secure cookie would never come back.
    expect(cookie).not.toContain('Secure');
  });

  it('answers a wrong password and an unknown username with the same words', async () => {
    const wrong = await attemptLogin(server, 'ines', 'not-the-password');
    const unknown = await attemptLogin(server, 'nobody-here', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    expect({ ...wrong.body, instance: undefined }).toEqual({ ...unknown.body, instance: undefined });
    expect(wrong.body.code).toBe('unauthenticated');
    await login(server, 'ines', PASSWORD); // resets the failure counter for the next tests
  });

  it('revokes the session on logout: the same cookie no longer opens anything', async () => {
    const cookie = await login(server, 'ines', PASSWORD);
    expect((await http(server, 'GET', '/api/auth/me', { cookie })).status).toBe(200);
    const out = await http(server, 'POST', '/api/auth/logout', { cookie });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/cryoday_session=;.*Expires=Thu, 01 Jan 1970/);
    for (const path of ['/api/auth/me', '/api/cases', '/api/rooms']) {
      const res = await http(server, 'GET', path, { cookie });
      expect(res.status, path).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
    }
  });

  it('expires a session left idle longer than the shift, and slides an active one', async () => {
    const idle = await login(server, 'ines', PASSWORD);
    await sql(server, 'update sessions set last_seen_at = ? where token_hash = ?', new Date(Date.now() - 12 * 3600_000 - 60_000).toISOString(), tokenDigest(sessionToken(idle)));
    expect((await http(server, 'GET', '/api/auth/me', { cookie: idle })).status).toBe(401);

    const active = await login(server, 'ines', PASSWORD);
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toISOString();
    await sql(server, 'update sessions set last_seen_at = ? where token_hash = ?', tenMinutesAgo, tokenDigest(sessionToken(active)));
    const res = await http(server, 'GET', '/api/auth/me', { cookie: active });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toContain(`Max-Age=${12 * 3600}`);
    const row = await sqlRow<{ last_seen_at: string }>(server, 'select last_seen_at from sessions where token_hash = ?', tokenDigest(sessionToken(active)));
    expect(Date.parse(row.last_seen_at)).toBeGreaterThan(Date.parse(tenMinutesAgo));
  });

  it('refuses state-changing requests from another origin or a cross-site page', async () => {
    const cookie = await login(server, 'ines', PASSWORD);
    const evil = await http(server, 'POST', '/api/auth/logout', { cookie, headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.body.code).toBe('forbidden');
    const crossSite = await http(server, 'POST', '/api/auth/logout', { cookie, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect((await http(server, 'GET', '/api/auth/me', { cookie })).status).toBe(200);
    // Same host over https while we see plain http and no proxy is declared: a TLS-terminating proxy
    // nobody told us about, whose browser page is ours. Signing in must keep working there.
    const viaTls = await http(server, 'POST', '/api/auth/login', { body: { username: 'ines', password: PASSWORD }, headers: { origin: server.url.replace('http://', 'https://') } });
    expect(viaTls.status).toBe(200);
    for (const origin of ['null', 'not a url', `ws://${new URL(server.url).host}`]) {
      expect((await http(server, 'POST', '/api/auth/logout', { cookie, headers: { origin } })).status, origin).toBe(403);
    }
    expect((await http(server, 'GET', '/api/auth/me', { cookie })).status).toBe(200);
    const own = await http(server, 'POST', '/api/auth/logout', { cookie, headers: { origin: server.url, 'sec-fetch-site': 'same-origin' } });
    expect(own.status).toBe(204);
  });

  it('refuses a live-socket handshake from another origin even with a valid session', async () => {
    const cookie = await login(server, 'ines', PASSWORD);
    const socket = new WebSocket(`${server.wsUrl}/api/live`, { headers: { cookie, origin: 'https://evil.example' } });
    const status = await new Promise<number>((resolve) => {
      // With this listener ws leaves the refused request open: destroy it, or the server never closes.
      socket.once('unexpected-response', (req, res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      socket.once('error', () => undefined);
      socket.once('open', () => {
        resolve(101);
        socket.close();
      });
    });
    expect(status).toBe(403);
  });

  it('parses JSON only: a cross-site form\'s text/plain body is refused', async () => {
    const res = await http(server, 'POST', '/api/auth/login', {
      body: '{"username":"ines","password":"bonjour-la-salle-2"}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('refuses an oversized sign-in body before reading it', async () => {
    const res = await http(server, 'POST', '/api/auth/login', { body: { username: 'ines', password: 'x'.repeat(8000) } });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('answers 401 problem+json to an anonymous request on every listed route but the public ones', async () => {
    const routes = listedRoutes(server).filter((r) => r.path.startsWith('/api/'));
    // Sanity: the listing really is the server's, admin and case routes included.
    const paths = routes.map((r) => r.path);
    for (const expected of ['/api/cases', '/api/cases/:id/commands', '/api/rooms/:id/commands', '/api/admin/staff/:id/disable', '/api/admin/display-tokens']) {
      expect(paths).toContain(expected);
    }
    expect(paths).toContain('/api/openapi.json');
    expect(paths).toContain('/api/docs');
    let checked = 0;
    for (const { path, methods } of routes) {
      if (path === '/api/live') continue;
      const concrete = path.replace(/:[A-Za-z]+/g, 'x').replace(/\*$/, 'x');
      for (const method of methods) {
        if (EXPECTED_PUBLIC.has(`${method} ${path}`) || isDocs(path)) continue;
        // A plausible body for writes: the 401 must come before validation looks at it.
        const body = method === 'POST' ? { type: 'admit', expectedVersion: 1 } : undefined;
        const res = await http(server, method, concrete, { body });
        expect(res.status, `${method} ${concrete}`).toBe(401);
        if (method !== 'HEAD') {
          expect(res.headers.get('content-type'), `${method} ${concrete}`).toContain('application/problem+json');
          expect(res.body.code).toBe('unauthenticated');
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(25);
    // And every route the list opens exists and really is open.
    for (const [route, status] of EXPECTED_PUBLIC) {
      const [method, path] = route.split(' ') as [string, string];
      expect(routes.find((r) => r.path === path)?.methods, route).toContain(method);
      expect((await http(server, method, path, { body: method === 'POST' ? {} : undefined })).status, route).toBe(status);
    }
  });

  it('closes an anonymous live socket, and one with an unknown display token', async () => {
    for (const query of ['', '?token=not-a-real-token']) {
      const socket = new WebSocket(`${server.wsUrl}/api/live${query}`);
      const frames: string[] = [];
      socket.on('message', (d) => frames.push(d.toString()));
      const code = await new Promise<number>((resolve) => socket.once('close', (c) => resolve(c)));
      expect(code, query).toBe(4401);
      expect(frames).toEqual([]);
    }
  });

  it('keeps the public routes public', async () => {
    expect((await http(server, 'GET', '/api/health')).status).toBe(200);
    expect((await http(server, 'POST', '/api/auth/logout')).status).toBe(204);
  });

  it('serves the API description to anyone, documenting every command\'s payload as validated', async () => {
    const openapi = await http(server, 'GET', '/api/openapi.json');
    expect(openapi.status).toBe(200);
    const commandBody = openapi.body.paths['/api/cases/{id}/commands'].post.requestBody.content['application/json'].schema;
    const documented = commandBody.oneOf.map((s: { properties: { type: { const?: string; enum?: string[] } } }) => s.properties.type.const ?? s.properties.type.enum?.[0]);
    expect(documented.sort()).toEqual([...COMMAND_TYPES].sort());
    // A session cookie is what the described routes ask for.
    expect(openapi.body.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'cryoday_session' });
    expect((await http(server, 'GET', '/api/docs')).status).toBeLessThan(400);
  });
});

describe('behind an HTTPS reverse proxy', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ TRUST_PROXY: '1', ALLOWED_HOSTS: 'cryoday.hopital.example' });
    await server.app.accounts.createStaff({ username: 'ines', displayName: 'Inès Martin', role: 'nurse', password: PASSWORD });
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('marks the cookie Secure when the request came over HTTPS', async () => {
    const res = await attemptLogin(server, 'ines', PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toContain('Secure');
  });

  it('compares the whole origin, scheme included, with the one the proxy says the browser used', async () => {
    const host = 'cryoday.hopital.example';
    const through = (origin: string) =>
      attemptLogin(server, 'ines', PASSWORD, { origin, 'x-forwarded-proto': 'https', 'x-forwarded-host': host });
    expect((await through(`https://${host}`)).status).toBe(200);
    expect((await through(`https://${host}:443`)).status).toBe(200);
    const downgraded = await through(`http://${host}`);
    expect(downgraded.status).toBe(403);
    expect(downgraded.body.code).toBe('forbidden');
    expect((await through(`https://evil.example`)).status).toBe(403);
  });
});
