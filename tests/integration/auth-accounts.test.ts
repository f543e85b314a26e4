import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient } from '../support/api';
import { attemptLogin, http, login } from '../support/auth';
import { removeDir, startServer, type TestServer } from '../support/server';
import { sql, sqlRow } from '../support/sql';

const PASSWORD = 'bonjour-la-salle-2';
const STRONG = 'Glacier-Sonde-Azur-93';

describe('account administration cannot open patient data (issue 10, items 4 and 5)', () => {
  let server: TestServer;
  let admin: string;
  const staffId = async (username: string) =>
    ((await http(server, 'GET', '/api/admin/staff', { cookie: admin })).body.staff as { id: string; username: string }[]).find((s) => s.username === username)!.id;
  const create = (body: object, lang = 'en') => http(server, 'POST', '/api/admin/staff', { cookie: admin, body, headers: { 'accept-language': lang } });
  const changePassword = (cookie: string, currentPassword: string, newPassword: string, lang = 'en') =>
    http(server, 'POST', '/api/auth/password', { cookie, body: { currentPassword, newPassword }, headers: { 'accept-language': lang } });

  beforeAll(async () => {
    server = await startServer({ LOGIN_RATE_LIMIT: '1000' });
    const accounts = server.app.accounts;
    await accounts.createStaff({ username: 'root', displayName: 'Admin', role: 'admin', password: PASSWORD });
    await accounts.createStaff({ username: 'ines', displayName: 'Inès Martin', role: 'nurse', password: PASSWORD });
    await accounts.createStaff({ username: 'laurent', displayName: 'Dr Laurent Roche', role: 'radiologist', password: PASSWORD });
    admin = await login(server, 'root', PASSWORD);
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('an account an admin creates opens nothing but the password change until its holder picks their own', async () => {
    const created = await create({ username: 'coord2', displayName: 'Coordination bis', role: 'coordinator' });
    expect(created.status).toBe(201);
    const oneTime = created.body.oneTimePassword as string;
    const cookie = await login(server, 'coord2', oneTime);

    // Given the one-time password, when the admin reads patients with it, then every route refuses, with a stable code, in French too.
    for (const [method, path] of [['GET', '/api/cases'], ['GET', '/api/rooms'], ['GET', '/api/reports/day'], ['GET', '/api/admin/staff'], ['POST', '/api/cases']] as const) {
      const res = await http(server, method, path, { cookie, body: method === 'POST' ? {} : undefined, headers: { 'accept-language': 'fr' } });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.code).toBe('password_change_required');
      expect(res.body.detail).toMatch(/^Changez d’abord votre mot de passe provisoire/);
    }
    const socket = new LiveClient(`${server.wsUrl}/api/live`, { cookie });
    expect(await socket.closed).toEqual({ code: 4403, reason: 'password_change_required' });
    expect(socket.frames).toEqual([]);
    expect((await http(server, 'GET', '/api/auth/me', { cookie })).body).toMatchObject({ name: 'Coordination bis', mustChangePassword: true });

    // A weak one and the one-time one itself are refused, and change nothing.
    const weak = await changePassword(cookie, oneTime, 'password12', 'fr');
    expect(weak.status).toBe(422);
    expect(weak.body).toMatchObject({ code: 'rule_violated', rule: 'password_too_weak' });
    expect(weak.body.detail).toMatch(/^Mot de passe trop facile à deviner/);
    expect((await changePassword(cookie, oneTime, oneTime)).body.rule).toBe('password_unchanged');
    expect((await changePassword(cookie, 'not-the-one', STRONG)).body.rule).toBe('password_wrong');
    expect((await http(server, 'GET', '/api/cases', { cookie })).status).toBe(403);

    // A strong one works: the same session now reads the day, the live feed opens, the one-time password is dead.
    const changed = await changePassword(cookie, oneTime, STRONG);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ role: 'coordinator', mustChangePassword: false });
    expect((await http(server, 'GET', '/api/cases', { cookie })).status).toBe(200);
    const feed = new LiveClient(`${server.wsUrl}/api/live`, { cookie });
    await feed.waitFor((m) => m.some((x) => x.type === 'snapshot'));
    feed.close();
    expect((await attemptLogin(server, 'coord2', oneTime)).status).toBe(401);
    await login(server, 'coord2', STRONG);
  });

  it("an admin resetting a clinician's password gets a one-time password that reads no patient", async () => {
    const before = await login(server, 'laurent', PASSWORD);
    const reset = await http(server, 'POST', `/api/admin/staff/${await staffId('laurent')}/reset-password`, { cookie: admin });
    expect(reset.status).toBe(200);
    expect((await http(server, 'GET', '/api/auth/me', { cookie: before })).status).toBe(401);
    const taken = await login(server, 'laurent', reset.body.oneTimePassword);
    const cases = await http(server, 'GET', '/api/cases', { cookie: taken });
    expect(cases.status).toBe(403);
    expect(cases.body.code).toBe('password_change_required');
    expect(cases.text).not.toMatch(/lastName|mrn/);
  });

  it('display names are unique among active accounts, whatever the case, accents or punctuation', async () => {
    // Given an active "Inès Martin", when an admin creates "ines  MARTIN", then it is refused by name, in both languages.
    const twin = await create({ username: 'fake.ines', displayName: 'ines  MARTIN', role: 'coordinator' });
    expect(twin.status).toBe(422);
    expect(twin.body).toMatchObject({ code: 'rule_violated', rule: 'display_name_taken' });
    expect(twin.body.detail).toContain('ines  MARTIN');
    expect((await create({ username: 'fake.ines', displayName: 'Ines-Martin', role: 'coordinator' }, 'fr')).body.detail).toMatch(/^Un compte actif porte déjà ce nom/);
    expect((await attemptLogin(server, 'fake.ines', 'x')).status).toBe(401);

    // Once the real one is disabled, the name is free; enabling the real one is then refused, and changes nothing.
    const ines = await staffId('ines');
    expect((await http(server, 'POST', `/api/admin/staff/${ines}/disable`, { cookie: admin })).status).toBe(200);
    const other = await create({ username: 'ines.m2', displayName: 'Inès Martin', role: 'nurse' });
    expect(other.status).toBe(201);
    const enable = await http(server, 'POST', `/api/admin/staff/${ines}/enable`, { cookie: admin });
    expect(enable.status).toBe(422);
    expect(enable.body.rule).toBe('display_name_taken');
    expect((await attemptLogin(server, 'ines', PASSWORD)).status).toBe(401);
    expect((await http(server, 'POST', `/api/admin/staff/${other.body.id}/disable`, { cookie: admin })).status).toBe(200);
    expect((await http(server, 'POST', `/api/admin/staff/${ines}/enable`, { cookie: admin })).body.active).toBe(true);
  });

  it('refuses weak passwords with the reason in the asker’s language, and words of the account count as guessable', async () => {
    const cookie = await login(server, 'ines', PASSWORD);
    for (const weak of ['aaaaaaaaaa', '1234567890', 'password12', 'motdepasse12', 'inesmartin2024', 'cryoday2024']) {
      const res = await changePassword(cookie, PASSWORD, weak);
      expect(res.status, weak).toBe(422);
      expect(['password_too_weak', 'password_too_short'], weak).toContain(res.body.rule);
    }
    expect((await changePassword(cookie, PASSWORD, 'short')).body.rule).toBe('password_too_short');
    const en = await changePassword(cookie, PASSWORD, 'aaaaaaaaaa', 'en');
    expect(en.body.detail).toMatch(/^Password too easy to guess: .*repeat/i);
    const fr = await changePassword(cookie, PASSWORD, 'aaaaaaaaaa', 'fr');
    expect(fr.body.detail).toMatch(/^Mot de passe trop facile à deviner\u00a0: .*répét/i);
    // Nothing changed: the old password still signs in.
    await login(server, 'ines', PASSWORD);
  });

  it('any signed-in user changes their own password (old + new); their other sessions are signed out', async () => {
    const here = await login(server, 'ines', PASSWORD);
    const elsewhere = await login(server, 'ines', PASSWORD);
    const tablet = new LiveClient(`${server.wsUrl}/api/live`, { cookie: elsewhere });
    await tablet.waitFor((m) => m.some((x) => x.type === 'snapshot'));
    expect((await changePassword(here, PASSWORD, STRONG)).status).toBe(200);
    expect((await tablet.closed).code).toBe(4401);
    expect((await http(server, 'GET', '/api/auth/me', { cookie: elsewhere })).status).toBe(401);
    expect((await http(server, 'GET', '/api/cases', { cookie: here })).status).toBe(200);
    expect((await http(server, 'POST', '/api/auth/password', { body: { currentPassword: STRONG, newPassword: `${STRONG}!` } })).status).toBe(401);
  });

  it('audits every account administration, newest first and paged, for admins only; the table refuses changes', async () => {
    const page = await http(server, 'GET', '/api/admin/audit?limit=3', { cookie: admin });
    expect(page.status).toBe(200);
    expect(page.body.entries).toHaveLength(3);
    const seqs = page.body.entries.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => b - a));
    const all = (await http(server, 'GET', '/api/admin/audit?limit=200', { cookie: admin })).body.entries as {
      actor: string;
      action: string;
      targetUsername: string;
      details: Record<string, unknown>;
    }[];
    const story = all.reverse().map((e) => `${e.actor} ${e.action} ${e.targetUsername}`);
    expect(story).toEqual([
      'root created coord2',
      'coord2 password_changed coord2',
      'root password_reset laurent',
      'root disabled ines',
      'root created ines.m2',
      'root disabled ines.m2',
      'root enabled ines',
      'ines password_changed ines',
    ]);
    expect(JSON.stringify(all)).not.toMatch(/scrypt|Glacier/);
    const next = await http(server, 'GET', `/api/admin/audit?limit=3&before=${page.body.nextBefore}`, { cookie: admin });
    expect(next.body.entries[0].seq).toBeLessThan(seqs[2]);
    expect((await http(server, 'GET', '/api/admin/audit', { cookie: await login(server, 'ines', STRONG) })).status).toBe(403);
    expect((await http(server, 'GET', '/api/admin/audit?limit=0', { cookie: admin })).status).toBe(400);

    await expect(sql(server, "update account_audit set actor = 'someone'")).rejects.toThrow(/append-only/);
    await expect(sql(server, 'delete from account_audit')).rejects.toThrow(/append-only/);
    expect((await sqlRow<{ n: number }>(server, 'select count(*) n from account_audit')).n).toBe(all.length);
  });
});
