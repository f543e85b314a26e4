import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient } from '../support/api';
import { attemptLogin, http, listedRoutes, login, newDisplayToken } from '../support/auth';
import { removeDir, startServer, type TestServer } from '../support/server';
import { sql, sqlRow } from '../support/sql';

const PASSWORD = 'bonjour-la-salle-2';

describe('admin API: accounts and wall-screen tokens', () => {
  let server: TestServer;
  let admin: string;
  let adminId: string;
  beforeAll(async () => {
    server = await startServer({ LOGIN_RATE_LIMIT: '1000' });
    const accounts = server.app.accounts;
    adminId = (await accounts.createStaff({ username: 'root', displayName: 'Admin', role: 'admin', password: PASSWORD })).id;
    await accounts.createStaff({ username: 'julie', displayName: 'Julie Caron', role: 'coordinator', password: PASSWORD });
    await accounts.createStaff({ username: 'ines', displayName: 'Inès Martin', role: 'nurse', password: PASSWORD });
    await accounts.createStaff({ username: 'laurent', displayName: 'Dr Laurent Roche', role: 'radiologist', password: PASSWORD });
    admin = await login(server, 'root', PASSWORD);
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('is for admins only: every admin route refuses a nurse, a radiologist and a coordinator, and changes nothing', async () => {
    const screen = await newDisplayToken(server, admin, 'Couloir');
    const routes = [
      ['GET', '/api/admin/staff'],
      ['POST', '/api/admin/staff', { username: 'x1', displayName: 'X', role: 'admin' }],
      ['POST', `/api/admin/staff/${adminId}/disable`],
      ['POST', `/api/admin/staff/${adminId}/enable`],
      ['POST', `/api/admin/staff/${adminId}/reset-password`],
      ['GET', '/api/admin/audit'],
      ['GET', '/api/admin/display-tokens'],
      ['POST', '/api/admin/display-tokens', { name: 'Écran pirate' }],
      ['POST', `/api/admin/display-tokens/${screen.id}/revoke`],
      ['PUT', '/api/admin/unit', { name: 'Pirate', address: '', dayPhone: '', nightPhone: '', referringRadiologist: '' }],
      ['GET', '/api/admin/unit/history'],
      ['PUT', '/api/admin/unit/equipment', { machines: [{ name: 'Scanner pirate', modality: 'ct' }] }],
    ] as const;
    // Every admin route the server has is in the list above.
    const listed = listedRoutes(server)
      .filter((r) => r.path.startsWith('/api/admin/'))
      .flatMap((r) => r.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${r.path}`));
    expect(listed.sort()).toEqual(routes.map(([method, path]) => `${method} ${path.replace(/\/(?:[0-9a-f-]{36})\//, '/:id/')}`).sort());

    for (const user of ['ines', 'laurent', 'julie']) {
      const cookie = await login(server, user, PASSWORD);
      for (const [method, path, body] of routes) {
        const res = await http(server, method, path, { cookie, body });
        expect(res.status, `${user} ${method} ${path}`).toBe(403);
        expect(res.body.code).toBe('forbidden');
        expect(res.text).not.toContain('scrypt');
      }
    }
    // Nothing happened: no account, no token created; the admin still signs in with their password; the screen still works.
    const staffList = (await http(server, 'GET', '/api/admin/staff', { cookie: admin })).body.staff as { username: string; active: boolean }[];
    expect(staffList.map((s) => s.username)).not.toContain('x1');
    expect(staffList.find((s) => s.username === 'root')!.active).toBe(true);
    await login(server, 'root', PASSWORD);
    const tokens = (await http(server, 'GET', '/api/admin/display-tokens', { cookie: admin })).body.tokens as { id: string; name: string; revokedAt: string | null }[];
    expect(tokens.map((t) => t.name)).not.toContain('Écran pirate');
    expect(tokens.find((t) => t.id === screen.id)!.revokedAt).toBeNull();
    expect((await http(server, 'GET', '/api/unit/equipment', { cookie: admin })).body.machines).toEqual([]);
    const board = LiveClient.board(server, screen.token);
    await board.waitFor((m) => m.some((x) => x.type === 'snapshot'));
    board.close();
  });

  it('creates an account with a one-time password shown once, stored only hashed', async () => {
    const res = await http(server, 'POST', '/api/admin/staff', {
      cookie: admin,
      body: { username: 'Dr.Roche', displayName: 'Dr Paul Roche', role: 'radiologist' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ username: 'dr.roche', displayName: 'Dr Paul Roche', role: 'radiologist', active: true, lockedUntil: null, mustChangePassword: true });
    expect(res.body.oneTimePassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(res.text).not.toContain('scrypt');
    const stored = await sqlRow<{ password_hash: string }>(server, 'select password_hash from staff where username = ?', 'dr.roche');
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(stored.password_hash).not.toContain(res.body.oneTimePassword);
    const me = await http(server, 'GET', '/api/auth/me', { cookie: await login(server, 'dr.roche', res.body.oneTimePassword) });
    expect(me.body).toMatchObject({ name: 'Dr Paul Roche', role: 'radiologist', mustChangePassword: true });
    const list = await http(server, 'GET', '/api/admin/staff', { cookie: admin });
    expect(list.body.staff.map((s: { username: string }) => s.username)).toEqual(['dr.roche', 'ines', 'julie', 'laurent', 'root']);
    expect(list.text).not.toContain('scrypt');
    expect(list.text).not.toContain(res.body.oneTimePassword);
  });

  it('refuses a chosen password, unknown roles, bad usernames and duplicates with clear problems', async () => {
    const create = (body: object) => http(server, 'POST', '/api/admin/staff', { cookie: admin, body });
    const chosen = await create({ username: 'newbie', displayName: 'New', role: 'nurse', password: 'long-enough-1' });
    expect(chosen.status).toBe(400);
    expect(chosen.body.code).toBe('validation_failed');
    expect((await create({ username: 'newbie', displayName: 'New', role: 'surgeon' })).status).toBe(400);
    expect((await create({ username: 'a b', displayName: 'New', role: 'nurse' })).status).toBe(400);
    const dup = await create({ username: 'INES', displayName: 'Autre Inès', role: 'nurse' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('conflict');
  });

  it('disabling an account signs it out at once, live socket included, and keeps it out; enabling lets it back', async () => {
    const cookie = await login(server, 'ines', PASSWORD);
    const tablet = new LiveClient(`${server.wsUrl}/api/live`, { cookie });
    await tablet.waitFor((m) => m.some((x) => x.type === 'snapshot'));
    const ines = (await http(server, 'GET', '/api/admin/staff', { cookie: admin })).body.staff.find((s: { username: string }) => s.username === 'ines');
    const disabled = await http(server, 'POST', `/api/admin/staff/${ines.id}/disable`, { cookie: admin });
    expect(disabled.status).toBe(200);
    expect(disabled.body.active).toBe(false);
    expect((await tablet.closed).code).toBe(4401);
    expect((await http(server, 'GET', '/api/auth/me', { cookie })).status).toBe(401);
    const refused = await attemptLogin(server, 'ines', PASSWORD);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toBe('Wrong username or password.');
    expect((await http(server, 'POST', `/api/admin/staff/${ines.id}/enable`, { cookie: admin })).body.active).toBe(true);
    await login(server, 'ines', PASSWORD);
  });

  it('resetting a password revokes every open session; only the new one-time password works', async () => {
    const first = await login(server, 'julie', PASSWORD);
    const second = await login(server, 'julie', PASSWORD);
    const julie = (await http(server, 'GET', '/api/admin/staff', { cookie: admin })).body.staff.find((s: { username: string }) => s.username === 'julie');
    const chosen = await http(server, 'POST', `/api/admin/staff/${julie.id}/reset-password`, { cookie: admin, body: { password: 'nouveau-mot-de-passe' } });
    expect(chosen.status).toBe(400);
    const res = await http(server, 'POST', `/api/admin/staff/${julie.id}/reset-password`, { cookie: admin });
    expect(res.status).toBe(200);
    expect(res.body.mustChangePassword).toBe(true);
    for (const cookie of [first, second]) expect((await http(server, 'GET', '/api/auth/me', { cookie })).status).toBe(401);
    expect((await attemptLogin(server, 'julie', PASSWORD)).status).toBe(401);
    await login(server, 'julie', res.body.oneTimePassword);
  });

  it('answers 404 for unknown accounts and refuses an admin disabling themselves', async () => {
    const unknown = await http(server, 'POST', '/api/admin/staff/nope/disable', { cookie: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('not_found');
    const self = await http(server, 'POST', `/api/admin/staff/${adminId}/disable`, { cookie: admin });
    expect(self.status).toBe(409);
    expect((await http(server, 'GET', '/api/auth/me', { cookie: admin })).status).toBe(200);
  });

  it('creates a display token once, lists it with its last sighting, and never shows it again', async () => {
    const created = await newDisplayToken(server, admin, 'Couloir salle 2');
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(created.boardUrl).toBe(`/board?token=${created.token}`);
    let list = await http(server, 'GET', '/api/admin/display-tokens', { cookie: admin });
    expect(list.text).not.toContain(created.token);
    expect(list.body.tokens.find((t: { id: string }) => t.id === created.id)).toMatchObject({ name: 'Couloir salle 2', lastSeenAt: null, revokedAt: null });

    const board = LiveClient.board(server, created.token);
    await board.opened;
    await board.waitFor((m) => m.some((x) => x.type === 'snapshot'));
    list = await http(server, 'GET', '/api/admin/display-tokens', { cookie: admin });
    expect(list.body.tokens.find((t: { id: string }) => t.id === created.id).lastSeenAt).not.toBeNull();
    board.close();
  });

  it('writes a token\'s "last seen" at most once a minute, however often its boards connect', async () => {
    const { id, token } = await newDisplayToken(server, admin, 'Salle d’attente');
    const lastSeen = async () =>
      (await http(server, 'GET', '/api/admin/display-tokens', { cookie: admin })).body.tokens.find((t: { id: string }) => t.id === id).lastSeenAt as string | null;
    const connect = async () => {
      const board = LiveClient.board(server, token);
      await board.waitFor((m) => m.some((x) => x.type === 'snapshot'));
      board.close();
      await board.closed;
    };
    await connect();
    const first = await lastSeen();
    expect(first).not.toBeNull();
    // A room full of boards reconnecting within the minute: no more writes.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 5));
      await connect();
    }
    expect(await lastSeen()).toBe(first);
    // A minute later, the next connection is recorded.
    const twoMinutesAgo = new Date(Date.now() - 2 * 60_000).toISOString();
    await sql(server, 'update display_tokens set last_seen_at = ? where id = ?', twoMinutesAgo, id);
    const before = Date.now();
    await connect();
    expect(Date.parse((await lastSeen())!)).toBeGreaterThanOrEqual(before - 5);
  });

  it('revoking a display token closes the board that uses it within seconds, and it cannot reconnect', async () => {
    const kept = await newDisplayToken(server, admin, 'Salle de réveil');
    const revoked = await newDisplayToken(server, admin, 'Écran volé');
    const keptBoard = LiveClient.board(server, kept.token);
    const board = LiveClient.board(server, revoked.token);
    await Promise.all([keptBoard.opened, board.opened]);
    await board.waitFor((m) => m.some((x) => x.type === 'snapshot'));

    const res = await http(server, 'POST', `/api/admin/display-tokens/${revoked.id}/revoke`, { cookie: admin });
    expect(res.status).toBe(200);
    expect(res.body.revokedAt).not.toBeNull();
    // Closed by the revocation itself, before the next heartbeat's check could have closed it.
    const heartbeat = new Promise<null>((r) => setTimeout(() => r(null), server.config.liveHeartbeatMs));
    const closed = await Promise.race([board.closed, heartbeat]);
    expect(closed).toEqual({ code: 4401, reason: 'display token revoked' });
    expect(keptBoard.closeCode).toBeNull();

    const again = LiveClient.board(server, revoked.token);
    expect((await again.closed).code).toBe(4401);
    expect(again.frames).toEqual([]);
    expect((await http(server, 'POST', '/api/admin/display-tokens/unknown/revoke', { cookie: admin })).status).toBe(404);
    keptBoard.close();
  });

  it('a display token opens the board feed only: never an API route', async () => {
    const { token } = await newDisplayToken(server, admin, 'Écran');
    for (const path of [`/api/cases?token=${token}`, `/api/rooms?token=${token}`]) {
      expect((await http(server, 'GET', path)).status).toBe(401);
    }
    expect((await http(server, 'GET', '/api/cases', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});
