import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createDisplayToken } from '../../server/auth/display-tokens';
import { openDatabase } from '../../db/connection';
import type { AccountStore } from '../../server/auth/account-store';
import { SqliteAccounts } from '../../server/auth/sqlite-accounts';
import { testPasswordHash } from './api';
import type { TestServer } from './server';
import { databaseUrlOf, onPostgres, storeEnv } from './test-store';

/**
 * Accounts and a board token written into a database file before any server process opens it (on
 * PostgreSQL, into the database that stands for that file).
 */
export async function prepareDatabase(path: string, migrationsFolder?: string) {
  if (onPostgres) {
    const { preparePostgres } = await import('../postgres/app-fixtures');
    return preparePostgres(await databaseUrlOf(path));
  }
  const connection = openDatabase(path, migrationsFolder);
  try {
    // Raw SQL on the first release's columns: the database may be one of that release (tests/integration/migrations.test.ts).
    const insert = connection.sqlite.prepare(
      'insert into staff (id, username, display_name, role, password_hash, active, created_at) values (?, ?, ?, ?, ?, 1, ?)',
    );
    const passwordHash = await testPasswordHash();
    for (const role of ['nurse', 'radiologist', 'coordinator', 'admin'] as const) {
      insert.run(randomUUID(), role, role, role, passwordHash, new Date().toISOString());
    }
    return { boardToken: createDisplayToken(connection.db, 'test board', new Date()).token };
  } finally {
    connection.close();
  }
}

/**
 * The accounts of the database at `path` (on PostgreSQL, of the database that stands for it), for a test
 * that writes accounts or tokens before a server process opens it.
 */
export async function withAccounts<T>(path: string, work: (accounts: AccountStore) => Promise<T>): Promise<T> {
  if (onPostgres) {
    const [{ default: pg }, { connectionConfig, migratePostgres }, { PgAccounts }] = await Promise.all([
      import('pg'),
      import('../../db/pg/connection'),
      import('../../server/auth/pg-accounts'),
    ]);
    const url = await databaseUrlOf(path);
    await migratePostgres(url);
    const pool = new pg.Pool(connectionConfig(url));
    try {
      return await work(new PgAccounts(pool));
    } finally {
      await pool.end();
    }
  }
  const connection = openDatabase(path);
  try {
    return await work(new SqliteAccounts(connection.db));
  } finally {
    connection.close();
  }
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A command-line tool run to its end in its own process from the repository root, with only PATH and `env`
 * set (and, on PostgreSQL, the DATABASE_URL that stands for its DATABASE_PATH).
 */
export async function runToEnd(args: string[], env: Record<string, string>): Promise<Finished> {
  const database = env.DATABASE_PATH && !env.DATABASE_URL ? await storeEnv(env.DATABASE_PATH) : {};
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: join(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH ?? '', ...env, ...database },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  wsUrl: string;
  exited: Promise<number | null>;
}

/** The test helpers read only a server's addresses: a server process serves as one. */
export const asServer = (instance: ServerProcess) => instance as unknown as TestServer;

/** A port the OS says is free now (the server binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The real server as its own OS process (so it can be killed with SIGKILL), ready when /api/health answers.
 * `script` is what node runs: the TypeScript entry through tsx, or its bundle (tests/support/bundle.ts)
 * for a test that restarts it many times.
 */
export async function spawnServer(
  databasePath: string,
  env: Record<string, string> = {},
  script: string[] = ['--import', 'tsx', 'server/main.ts'],
): Promise<ServerProcess> {
  const port = await freePort();
  const database = env.DATABASE_URL ? { DATABASE_PATH: databasePath } : await storeEnv(databasePath);
  const child = spawn(process.execPath, script, {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', CRYODAY_DEMO: '0', ...env, ...database },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      if (attempt > 400) throw new Error(`server did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url, wsUrl: url.replace('http', 'ws'), exited };
}
