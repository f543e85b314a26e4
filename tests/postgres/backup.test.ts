import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Api, newCaseBody } from '../support/api';
import { describePostgres, newDatabase } from '../support/pg';
import { postgresBinDir } from '../support/postgres';
import { runToEnd } from '../support/process';
import { removeDir, startServer, type TestServer } from '../support/server';
import { preparePostgres } from './app-fixtures';

/** The shell line of the advice that starts with `tool`, split into its arguments with $DATABASE_URL given. */
function adviceLine(advice: string, tool: string, url: string): string[] {
  const line = advice.split('\n').find((l) => l.trim().startsWith(`${tool} `));
  if (!line) throw new Error(`no ${tool} line in: ${advice}`);
  return [...line.trim().matchAll(/"[^"]*"|\S+/g)].slice(1).map(([word]) => word.replace(/^(--\w[\w-]*=)?"(.*)"$/, '$1$2').replace('$DATABASE_URL', url));
}

describePostgres('npm run backup on PostgreSQL', () => {
  let url: string;
  let server: TestServer;
  let restored: TestServer | undefined;

  beforeAll(async () => {
    url = await newDatabase('backup');
    await preparePostgres(url);
    server = await startServer({ DATABASE_URL: url });
  });
  afterAll(async () => {
    await server?.close();
    await restored?.close();
    for (const s of [server, restored]) if (s) removeDir(s.dir);
  });

  it('writes nothing, says how to pg_dump and pg_restore, and that advice restores a working unit', async () => {
    const coordinator = await Api.login(server, 'coordinator');
    const booked = (await coordinator.post('/api/cases', newCaseBody())).body.case;
    const target = join(server.dir, 'cryoday.dump');
    const run = await runToEnd(['--import', 'tsx', 'server/cli/backup.ts', target], { DATABASE_URL: url });
    expect(run.code).toBe(1);
    expect(existsSync(target)).toBe(false);
    expect(run.stderr).toContain('pg_dump --format=custom');
    // The URL, with any password it holds, is named by its variable only.
    expect(run.stderr).not.toContain(url);

    const bin = postgresBinDir()!;
    execFileSync(join(bin, 'pg_dump'), adviceLine(run.stderr, 'pg_dump', url));
    const copy = await newDatabase('restored');
    execFileSync(join(bin, 'pg_restore'), adviceLine(run.stderr, 'pg_restore', copy));
    restored = await startServer({ DATABASE_URL: copy });
    const nurse = await Api.login(restored, 'nurse');
    expect((await nurse.get(`/api/cases/${booked.id}`)).body.case).toEqual(booked);
    // The log goes on from where the dump left it, with the same gap-free seq.
    const next = await nurse.post(`/api/cases/${booked.id}/commands`, { type: 'record_vitals', heartRate: 70, systolic: 120, diastolic: 80, spo2: 98, expectedVersion: booked.version });
    expect(next.status).toBe(200);
    expect(next.body.events[0].seq).toBe((await (await fetch(`${server.url}/api/health`)).json()).seq + 1);
  });
});
