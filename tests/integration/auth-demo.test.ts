import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attemptLogin, http, login } from '../support/auth';
import { removeDir, startServer } from '../support/server';

const REAL_PASSWORD = 'un-vrai-mot-de-passe';

/** A real server on the given folder's database, its warnings kept for the test to read. */
const start = (dir: string, env: Record<string, string>) => startServer({ LOG_LEVEL: 'warn', ...env }, dir);

describe('demo accounts do not outlive CRYODAY_DEMO', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cryoday-demo-'));
  let server: Awaited<ReturnType<typeof start>> | undefined;
  afterAll(async () => {
    await server?.close();
    removeDir(dir);
  });

  it('disables, loudly, the demo accounts still using "demo" when started without the flag', async () => {
    server = await start(dir, { CRYODAY_DEMO: '1' });
    expect(server.log()).toContain('DEMO MODE');
    await login(server, 'nurse', 'demo');
    const store = server.app.accounts;
    // The unit gave the demo admin a real password: that account is theirs now and stays open.
    await store.resetStaffPassword((await store.staffOfUsername('admin'))!.id, REAL_PASSWORD);
    // Only the demo usernames are checked: a real account is never tried against "demo".
    await store.createStaff({ username: 'ines', displayName: 'Inès Martin', role: 'nurse', password: 'demo' });
    await server.close();

    server = await start(dir, { CRYODAY_DEMO: '0' });
    for (const username of ['nurse', 'radiologist', 'coordinator']) {
      const refused = await attemptLogin(server, username, 'demo');
      expect(refused.status, username).toBe(401);
      expect(refused.body.code).toBe('unauthenticated');
    }
    const warning = server
      .log()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string; disabledAccounts?: string[] })
      .find((line) => line.msg.includes('DEMO ACCOUNTS DISABLED'));
    expect(warning).toBeDefined();
    expect(warning!.level).toBe(40);
    expect(warning!.disabledAccounts).toEqual(['coordinator', 'nurse', 'radiologist']);
    expect(warning!.msg).toContain('npm run users -- reset-password');
    expect(warning!.msg).toContain('npm run users -- enable');

    const admin = await login(server, 'admin', REAL_PASSWORD);
    await login(server, 'ines', 'demo');
    const accounts = (await http(server, 'GET', '/api/admin/staff', { cookie: admin })).body.staff as { username: string; active: boolean }[];
    expect(Object.fromEntries(accounts.map((a) => [a.username, a.active]))).toEqual({
      admin: true,
      coordinator: false,
      ines: true,
      nurse: false,
      radiologist: false,
    });
    await server.close();

    // Once disabled there is nothing left to say; a demo account given a real password and enabled stays so.
    const offline = await start(dir, { CRYODAY_DEMO: '0' });
    server = offline;
    const nurseId = (await offline.app.accounts.staffOfUsername('nurse'))!.id;
    await offline.app.accounts.resetStaffPassword(nurseId, REAL_PASSWORD);
    expect((await http(offline, 'POST', `/api/admin/staff/${nurseId}/enable`, { cookie: await login(offline, 'admin', REAL_PASSWORD) })).status).toBe(200);
    expect(offline.log()).not.toContain('DEMO ACCOUNTS DISABLED');
    await offline.close();

    server = await start(dir, { CRYODAY_DEMO: '0' });
    expect(server.log()).not.toContain('DEMO ACCOUNTS DISABLED');
    await login(server, 'nurse', REAL_PASSWORD);
  });
});
