import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection';
import { createStaff } from '../../server/auth/staff';
import { removeDir } from '../support/server';

const MARKER = 'Secret-Marqueur-7731';

describe('passwords never reach the log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cryoday-log-'));
  let child: ChildProcess;
  let log = '';
  let url = '';

  beforeAll(async () => {
    const databasePath = join(dir, 'cryoday.sqlite');
    const connection = openDatabase(databasePath);
    await createStaff(connection.db, { username: 'ines', displayName: 'Inès', role: 'nurse', password: `${MARKER}-ok` });
    connection.close();
    // The real entry point, at the most verbose level, logging to stdout as in production.
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: join(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: databasePath, LOG_LEVEL: 'trace' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (log += d));
    child.stderr!.on('data', (d) => (log += d));
    const start = Date.now();
    while (!url) {
      url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1] ?? '';
      if (Date.now() - start > 20_000) throw new Error(`server did not start: ${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    removeDir(dir);
  });

  it('logs sign-ins, failed, malformed and successful, without the password', async () => {
    const post = (body: string) => fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post(JSON.stringify({ username: 'ines', password: `${MARKER}-wrong` }))).status).toBe(401);
    expect((await post(JSON.stringify({ username: 'ines', password: `${MARKER}-x`, extra: 1 }))).status).toBe(400);
    expect((await post(`{"username":"ines","password":"${MARKER}-broken`)).status).toBe(400);
    expect((await post(JSON.stringify({ username: 'ines', password: `${MARKER}-ok` }))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(log).toContain('signed in');
    expect(log).toContain('/api/auth/login');
    expect(log).not.toContain(MARKER);
  });
});
