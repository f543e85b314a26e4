import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptLogin, http, login, type HttpAnswer } from '../support/auth';
import { removeDir, startServer, type TestServer } from '../support/server';
import { sql, sqlRow } from '../support/sql';

const PASSWORD = 'bonjour-la-salle-2';

/** What a client sees of an answer, minus the echoed path. */
const seen = (res: HttpAnswer) => ({
  status: res.status,
  code: res.body.code,
  detail: res.body.detail,
  retryAfter: res.headers.get('retry-after') === null ? null : 'set',
});

describe('per-address sign-in rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ LOGIN_RATE_LIMIT: '3' });
    await server.app.accounts.createStaff({ username: 'ines', displayName: 'Inès Martin', role: 'nurse', password: PASSWORD });
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('throttles an address that keeps trying, whatever the usernames, even with the right password', async () => {
    for (const username of ['alice', 'bob', 'carol']) {
      expect((await attemptLogin(server, username, 'guess-guess')).status).toBe(401);
    }
    const throttled = await attemptLogin(server, 'ines', PASSWORD);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('content-type')).toContain('application/problem+json');
    expect(throttled.body.code).toBe('too_many_requests');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    // Only sign-in is limited: the rest of the API is untouched.
    expect((await http(server, 'GET', '/api/health')).status).toBe(200);
  });
});

describe('per-username lockout', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ LOGIN_RATE_LIMIT: '1000' });
    const accounts = server.app.accounts;
    for (const username of ['ines', 'marc', 'paul', 'lea', 'hugo', 'zoe']) {
      await accounts.createStaff({ username, displayName: username, role: 'nurse', password: PASSWORD });
    }
    await accounts.createStaff({ username: 'root', displayName: 'Admin', role: 'admin', password: PASSWORD });
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('locks after 5 consecutive failures, and an unknown username gets exactly the same answers', async () => {
    const known: ReturnType<typeof seen>[] = [];
    const unknown: ReturnType<typeof seen>[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(seen(await attemptLogin(server, i % 2 ? 'INES' : 'ines', `wrong-${i}`)));
      unknown.push(seen(await attemptLogin(server, 'no-such-user', `wrong-${i}`)));
    }
    // Even the right password is refused while locked: the lock is not an oracle for it.
    known.push(seen(await attemptLogin(server, 'ines', PASSWORD)));
    unknown.push(seen(await attemptLogin(server, 'no-such-user', PASSWORD)));

    expect(known).toEqual(unknown);
    expect(known.slice(0, 4).every((r) => r.status === 401 && r.code === 'unauthenticated')).toBe(true);
    expect(known[4]).toMatchObject({ status: 429, code: 'account_locked', retryAfter: 'set' });
    expect(known[5]).toMatchObject({ status: 429, code: 'account_locked' });
    expect(known[5]!.detail).toMatch(/15 min/);

    const row = await sqlRow<{ locked_until: string }>(server, 'select locked_until from staff where username = ?', 'ines');
    const lockMinutes = (Date.parse(row.locked_until) - Date.now()) / 60_000;
    expect(lockMinutes).toBeGreaterThan(14);
    expect(lockMinutes).toBeLessThanOrEqual(15);
  });

  it('says so in French too', async () => {
    const res = await http(server, 'POST', '/api/auth/login', { body: { username: 'ines', password: 'x' }, headers: { 'accept-language': 'fr-FR' } });
    expect(res.body.code).toBe('account_locked');
    expect(res.body.detail).toMatch(/Trop d’échecs de connexion/);
  });

  it('counts consecutive failures only: a success starts the count again', async () => {
    for (let i = 0; i < 4; i++) expect((await attemptLogin(server, 'marc', 'wrong')).status).toBe(401);
    await login(server, 'marc', PASSWORD);
    for (let i = 0; i < 4; i++) expect((await attemptLogin(server, 'marc', 'wrong')).status).toBe(401);
    await login(server, 'marc', PASSWORD);
  });

  it('lets the account in again once the lock has run out', async () => {
    for (let i = 0; i < 5; i++) await attemptLogin(server, 'paul', 'wrong');
    expect((await attemptLogin(server, 'paul', PASSWORD)).body.code).toBe('account_locked');
    await sql(server, 'update staff set locked_until = ? where username = ?', new Date(Date.now() - 1000).toISOString(), 'paul');
    await login(server, 'paul', PASSWORD);
  });

  it('is lifted by an admin enabling the account', async () => {
    for (let i = 0; i < 5; i++) await attemptLogin(server, 'lea', 'wrong');
    expect((await attemptLogin(server, 'lea', PASSWORD)).body.code).toBe('account_locked');
    const admin = await login(server, 'root', PASSWORD);
    const list = await http(server, 'GET', '/api/admin/staff', { cookie: admin });
    const lea = list.body.staff.find((s: { username: string }) => s.username === 'lea');
    expect(lea.lockedUntil).not.toBeNull();
    const enabled = await http(server, 'POST', `/api/admin/staff/${lea.id}/enable`, { cookie: admin });
    expect(enabled.status).toBe(200);
    expect(enabled.body.lockedUntil).toBeNull();
    await login(server, 'lea', PASSWORD);
  });

  /** Resolves once the server has read `count` more request bodies: their handlers run right after. */
  function bodiesRead(count: number) {
    return new Promise<void>((resolve) => {
      let seen = 0;
      const onRequest = (req: IncomingMessage) =>
        req.once('end', () => {
          if (++seen < count) return;
          server.app.server.off('request', onRequest);
          // A macrotask later every handler has started: parsing and validation are synchronous.
          setTimeout(resolve, 20);
        });
      server.app.server.on('request', onRequest);
    });
  }

  it('counts sign-ins hashing side by side: 20 wrong ones in flight lock the account, and the right one sent among them is refused', async () => {
    const read = bodiesRead(20);
    const wrong = Array.from({ length: 20 }, (_, i) => attemptLogin(server, 'hugo', `wrong-${i}`));
    await read;
    // Sent while the wrong ones are still being hashed: before, it passed the lock check and got in.
    const right = await attemptLogin(server, 'hugo', PASSWORD);
    const answers = await Promise.all(wrong);

    expect(right.status, right.text).toBe(429);
    expect(right.body.code).toBe('account_locked');
    expect(right.headers.get('set-cookie')).toBeNull();
    // Only the five attempts counted before the lock were hashed: four plain refusals, the fifth says "locked".
    expect(answers.filter((a) => a.status === 401)).toHaveLength(4);
    expect(answers.filter((a) => a.status === 429 && a.body.code === 'account_locked')).toHaveLength(16);
    const row = await sqlRow<{ locked_until: string }>(server, 'select locked_until from staff where username = ?', 'hugo');
    expect(Date.parse(row.locked_until)).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect((await attemptLogin(server, 'hugo', PASSWORD)).body.code).toBe('account_locked');
  });

  it('lets a right password through when it is among the first five attempts, wherever the wrong ones are', async () => {
    const read = bodiesRead(3);
    const wrong = Array.from({ length: 3 }, (_, i) => attemptLogin(server, 'zoe', `wrong-${i}`));
    await read;
    const right = await attemptLogin(server, 'zoe', PASSWORD);
    expect(right.status, right.text).toBe(200);
    expect((await Promise.all(wrong)).map((a) => a.status)).toEqual([401, 401, 401]);
    // The success cleared the count: four more failures do not lock.
    for (let i = 0; i < 4; i++) expect((await attemptLogin(server, 'zoe', 'wrong')).status).toBe(401);
    await login(server, 'zoe', PASSWORD);
  });
});
