import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptLogin, http, login } from '../support/auth';
import { bundleEntries, type Bundle } from '../support/bundle';
import { runToEnd } from '../support/process';
import { removeDir, startServer } from '../support/server';

const dir = mkdtempSync(join(tmpdir(), 'cryoday-cli-'));
const databasePath = join(dir, 'cryoday.sqlite');
const CLI = 'server/cli/users.ts';
let bundle: Bundle;

/**
 * Runs the users CLI in its own process with its own environment: through tsx as `npm run users` does
 * when `asOperator`, else its bundle (the same code, without tsx's second of compiling at each of the
 * two dozen starts).
 */
function users(args: string[], env: Record<string, string> = {}, asOperator = false) {
  const script = asOperator ? ['--import', 'tsx', CLI] : [bundle.path(CLI)];
  return runToEnd([...script, ...args], { DATABASE_PATH: databasePath, ...env });
}

describe('npm run users', () => {
  beforeAll(async () => {
    // The CLI with its packages in one file: two dozen starts, each reading one file instead of hundreds.
    bundle = await bundleEntries([CLI], { withPackages: true });
  });
  afterAll(() => {
    bundle?.remove();
    removeDir(dir);
  });

  it('adds an account that can then sign in to the server, and lists it', async () => {
    const added = await users(['add', 'Ines.M', '--role', 'nurse', '--name', 'Inès Martin'], { CRYODAY_PASSWORD: 'perfusion-2024' }, true);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('added ines.m (nurse, "Inès Martin"); the password must be changed at first sign-in');
    const list = await users(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ines\.m\tnurse\tactive\tInès Martin$/m);

    const server = await startServer({ DATABASE_PATH: databasePath });
    try {
      const cookie = await login(server, 'ines.m', 'perfusion-2024');
      expect((await http(server, 'GET', '/api/auth/me', { cookie })).body).toMatchObject({ name: 'Inès Martin', role: 'nurse', mustChangePassword: true });
      // IT set it, so it opens no patient until its holder picks their own.
      expect((await http(server, 'GET', '/api/cases', { cookie })).body.code).toBe('password_change_required');
    } finally {
      await server.close();
    }
  });

  it('refuses a short password, a bad role, a duplicate and a missing password with one line and a non-zero code', async () => {
    const cases: [string[], Record<string, string>, number, RegExp][] = [
      [['add', 'marc', '--role', 'nurse', '--name', 'Marc'], { CRYODAY_PASSWORD: 'short-9ch' }, 1, /password too short: .*at least 10 characters/],
      [['add', 'marc', '--role', 'nurse', '--name', 'Marc'], { CRYODAY_PASSWORD: 'aaaaaaaaaa' }, 1, /password too weak: Password too easy to guess/],
      [['add', 'marc', '--role', 'nurse', '--name', 'Marc'], { CRYODAY_PASSWORD: 'password12' }, 1, /password too weak/],
      [['add', 'marc', '--role', 'nurse', '--name', 'Marc Durand'], { CRYODAY_PASSWORD: 'marcdurand2024' }, 1, /password too weak/],
      [['add', 'fake', '--role', 'admin', '--name', 'INES MARTIN'], { CRYODAY_PASSWORD: 'long-enough-1' }, 1, /already named "INES MARTIN"/],
      [['add', 'marc', '--role', 'surgeon', '--name', 'Marc'], { CRYODAY_PASSWORD: 'long-enough-1' }, 2, /--role must be one of nurse, radiologist, coordinator, admin/],
      [['add', 'INES.M', '--role', 'nurse', '--name', 'Autre'], { CRYODAY_PASSWORD: 'long-enough-1' }, 1, /already taken/],
      [['add', 'marc', '--role', 'nurse', '--name', 'Marc'], {}, 2, /no password: set CRYODAY_PASSWORD/],
      [['disable', 'nobody'], {}, 1, /no account named "nobody"/],
      [['explode'], {}, 2, /unknown command "explode"/],
    ];
    for (const [args, env, code, message] of cases) {
      const res = await users(args, env);
      expect(res.code, args.join(' ')).toBe(code);
      expect(res.stderr.split('\n')[0], args.join(' ')).toMatch(message);
      expect(res.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    }
    expect((await users(['list'])).stdout).not.toContain('marc');
  });

  it('disables, re-enables and resets the password of an account', async () => {
    expect((await users(['disable', 'ines.m'])).code).toBe(0);
    expect((await users(['list'])).stdout).toMatch(/^ines\.m\tnurse\tdisabled/m);
    const server = await startServer({ DATABASE_PATH: databasePath });
    try {
      expect((await attemptLogin(server, 'ines.m', 'perfusion-2024')).status).toBe(401);
      expect((await users(['enable', 'ines.m'])).code).toBe(0);
      expect((await users(['reset-password', 'ines.m'], { CRYODAY_PASSWORD: 'nouveau-secret-1' })).code).toBe(0);
      expect((await attemptLogin(server, 'ines.m', 'perfusion-2024')).status).toBe(401);
      await login(server, 'ines.m', 'nouveau-secret-1');
    } finally {
      await server.close();
    }
  });

  it('refuses to disable the last active admin, and audits every change as "cli", also as CSV', async () => {
    expect((await users(['add', 'it.root', '--role', 'admin', '--name', 'Informatique'], { CRYODAY_PASSWORD: 'Glacier-Sonde-Azur-93' })).code).toBe(0);
    const last = await users(['disable', 'it.root']);
    expect(last.code).toBe(1);
    expect(last.stderr).toMatch(/^users: "it.root" is the last active admin/);
    expect((await users(['list'])).stdout).toMatch(/^it\.root\tadmin\tactive/m);
    expect((await users(['add', 'it.second', '--role', 'admin', '--name', 'Informatique 2'], { CRYODAY_PASSWORD: 'Glacier-Sonde-Azur-94' })).code).toBe(0);
    expect((await users(['disable', 'it.root'])).code).toBe(0);

    const audit = await users(['audit']);
    expect(audit.code).toBe(0);
    const lines = audit.stdout.trim().split('\n').map((l) => l.split('\t').slice(1, 4).join(' '));
    expect(lines).toEqual([
      'cli created ines.m',
      'cli disabled ines.m',
      'cli enabled ines.m',
      'cli password_reset ines.m',
      'cli created it.root',
      'cli created it.second',
      'cli disabled it.root',
    ]);
    const csv = await users(['audit', '--csv']);
    const rows = csv.stdout.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[0]).toBe('seq;at;actor;actor_id;action;target_username;target_id;details');
    expect(rows).toHaveLength(8);
    expect(rows[1]).toMatch(/^1;\d{4}-\d\d-\d\dT[^;]+;cli;;created;ines\.m;[0-9a-f-]{36};role=nurse displayName=Inès Martin$/);
    expect(csv.stdout).not.toMatch(/scrypt|perfusion|Glacier/);
  });
});
