import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, bookCaseInThePast, seedStaff } from '../support/api';
import { removeDir, startServer, type TestServer } from '../support/server';

const run = promisify(execFile);

describe('npm run backup', () => {
  let server: TestServer;
  let nurse: Api;
  let staff: Awaited<ReturnType<typeof seedStaff>>;

  beforeAll(async () => {
    server = await startServer();
    staff = await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it('copies the live database while commands keep arriving, and the copy restores into a working server', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => bookCaseInThePast(server, staff.coordinator, 30)));
    let writing = true;
    const writer = (async () => {
      let i = 0;
      while (writing) await nurse.command(ids[i++ % ids.length]!, { type: 'record_pain_score', score: i % 10, moment: 'admission' }).catch(() => undefined);
    })();
    const target = join(server.dir, 'backup.sqlite');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/cli/backup.ts', target], {
      env: { ...process.env, DATABASE_PATH: server.config.databasePath },
    });
    writing = false;
    await writer;
    expect(stdout).toMatch(/integrity ok/);
    const copied = Number(/\((\d+) events/.exec(stdout)![1]);
    expect(copied).toBeGreaterThanOrEqual(5);

    // Restore = start a server on the copy: everything up to the backup is there and consistent.
    const fromCopy = await startServer({ DATABASE_PATH: target });
    try {
      const health = await (await fetch(`${fromCopy.url}/api/health`)).json();
      expect(health.seq).toBe(copied);
      const again = await Api.login(fromCopy, 'nurse');
      const list = await again.get('/api/cases');
      expect(list.body.cases.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(ids));
    } finally {
      await fromCopy.close();
    }

    await expect(run(process.execPath, ['--import', 'tsx', 'server/cli/backup.ts', target], { env: { ...process.env, DATABASE_PATH: server.config.databasePath } })).rejects.toMatchObject({
      stderr: expect.stringMatching(/already exists/),
    });
  }, 60_000);
});
