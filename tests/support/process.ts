import { spawn, type ChildProcess } from 'node:child_process';
import { createDisplayToken } from '../../server/auth/display-tokens';
import { createStaff } from '../../server/auth/staff';
import { openDatabase } from '../../db/connection';
import { TEST_PASSWORD } from './api';

/** Accounts and a board token written into a database file before any server process opens it. */
export async function prepareDatabase(path: string) {
  const connection = openDatabase(path);
  try {
    for (const role of ['nurse', 'radiologist', 'coordinator', 'admin'] as const) {
      await createStaff(connection.db, { username: role, displayName: role, role, password: TEST_PASSWORD });
    }
    return { boardToken: createDisplayToken(connection.db, 'test board', new Date()).token };
  } finally {
    connection.close();
  }
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  wsUrl: string;
  exited: Promise<number | null>;
}

/** The real server as its own OS process (so it can be killed with SIGKILL), on a port it picks. */
export async function spawnServer(databasePath: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: databasePath, LOG_LEVEL: 'info', CRYODAY_DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  // Keep draining the pipes so a chatty server never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  return { child, url, wsUrl: url.replace('http', 'ws'), exited };
}
