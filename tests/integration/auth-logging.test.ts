import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAccounts } from '../support/process';
import { removeDir } from '../support/server';
import { storeEnv } from '../support/test-store';

const MARKER = 'Secret-Marqueur-7731';

/** Opens a live socket and waits for its first frame (or its close): the handshake was logged by then. */
function touchLive(url: string, headers: Record<string, string> = {}) {
  return new Promise<void>((resolve) => {
    const socket = new WebSocket(url, { headers });
    const done = () => {
      socket.terminate();
      resolve();
    };
    socket.once('message', done);
    socket.once('close', done);
    socket.once('error', done);
  });
}

describe('passwords, display tokens and session cookies never reach the log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cryoday-log-'));
  let child: ChildProcess;
  let log = '';
  let url = '';
  let boardToken = '';

  beforeAll(async () => {
    const databasePath = join(dir, 'cryoday.sqlite');
    boardToken = await withAccounts(databasePath, async (accounts) => {
      await accounts.createStaff({ username: 'ines', displayName: 'Inès', role: 'nurse', password: `${MARKER}-ok` });
      return (await accounts.createDisplayToken('Salle de réveil', new Date())).token;
    });
    // The real entry point, at the most verbose level, logging to stdout as in production.
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: join(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'trace', ...(await storeEnv(databasePath)) },
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

  it('logs wall-screen requests without their display token, and signed-in requests without the session cookie', async () => {
    const ws = url.replace('http', 'ws');
    // The kiosk's page and its live feed both carry the token in the query string.
    expect((await fetch(`${url}/board?token=${boardToken}`)).status).toBeLessThan(500);
    await touchLive(`${ws}/api/live?token=${encodeURIComponent(boardToken)}&batch=1`);
    await touchLive(`${ws}/api/live?batch=1&%74oken=${encodeURIComponent(boardToken)}`);
    // A socket opened where no socket is served: @fastify/websocket's refusal logs the path on its own.
    await touchLive(`${ws}/api/health?token=${boardToken}`);
    // A password mistakenly sent in a query string is not kept either.
    await fetch(`${url}/api/auth/me?password=${MARKER}-query`);

    const signedIn = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ines', password: `${MARKER}-ok` }),
    });
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    const session = cookie.split('=')[1]!;
    expect(session.length).toBeGreaterThan(40);
    expect((await fetch(`${url}/api/auth/me`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${url}/api/cases`, { headers: { cookie } })).status).toBe(200);
    await touchLive(`${ws}/api/live`, { cookie });
    expect((await fetch(`${url}/api/auth/logout`, { method: 'POST', headers: { cookie } })).status).toBe(204);
    await new Promise((r) => setTimeout(r, 300));

    // The requests were logged (at trace level, every one is)…
    expect(log).toContain('/board?token=[REDACTED]');
    expect(log).toContain('/api/live?token=[REDACTED]&batch=1');
    expect(log).toContain('/api/live?batch=1&%74oken=[REDACTED]');
    expect(log).toContain('/api/auth/me?password=[REDACTED]');
    expect(log).toContain('"path":"/api/health?token=[REDACTED]"');
    // …and nothing in the log opens a wall screen or a session.
    expect(log).not.toContain(boardToken);
    expect(log).not.toContain(encodeURIComponent(boardToken));
    expect(log).not.toContain(session);
    expect(log).not.toContain(decodeURIComponent(session));
    expect(log).not.toContain(MARKER);
  });
});
