import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { newToken, tokenDigest } from '../../server/auth/tokens';
import { migratePostgres } from '../../db/pg/connection';
import { Api, TEST_PASSWORD, testPasswordHash } from '../support/api';
import type { Bundle } from '../support/bundle';
import { freshDatabase, postgresBinDir, startCluster, type Cluster } from '../support/postgres';
import { asServer, spawnServer, type ServerProcess } from '../support/process';
import { removeDir, startServer, type TestServer } from '../support/server';

/** The four test accounts (username = role) and a wall-screen token, written before any instance starts. */
export async function preparePostgres(url: string): Promise<{ boardToken: string }> {
  await migratePostgres(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const passwordHash = await testPasswordHash();
    const at = new Date().toISOString();
    for (const role of ['nurse', 'radiologist', 'coordinator', 'admin']) {
      await client.query('insert into staff (id, username, display_name, role, password_hash, active, created_at) values ($1, $2, $2, $2, $3, true, $4)', [
        randomUUID(),
        role,
        passwordHash,
        at,
      ]);
    }
    const boardToken = newToken();
    await client.query('insert into display_tokens (id, name, token_hash, created_at) values ($1, $2, $3, $4)', [randomUUID(), 'test board', tokenDigest(boardToken), at]);
    return { boardToken };
  } finally {
    await client.end();
  }
}

/**
 * An app instance on the database at `url`, as its own process from the bundle. DATABASE_PATH names
 * a file in a folder of its own that must never appear: on PostgreSQL nothing opens SQLite.
 */
export async function startInstance(bundle: Bundle, url: string, env: Record<string, string> = {}): Promise<ServerProcess & { sqlitePath: string }> {
  const sqlitePath = join(mkdtempSync(join(tmpdir(), 'cryoday-pg-instance-')), 'never.sqlite');
  const server = await spawnServer(sqlitePath, { DATABASE_URL: url, LOGIN_RATE_LIMIT: '1000', LIVE_HEARTBEAT_SECONDS: '0.5', ...env }, [bundle.path('server/main.ts')]);
  return { ...server, sqlitePath };
}

export const sqliteOpened = (instance: { sqlitePath: string }) => existsSync(instance.sqlitePath);

export async function signIn(instance: ServerProcess, username: string, password = TEST_PASSWORD) {
  return fetch(`${instance.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
}

/** The same signed-in user talking to another instance: the session lives in the shared database. */
export const through = (api: Api, instance: ServerProcess): Api => new Api(asServer(instance), api.cookie, api.lang);

/**
 * A server on a PostgreSQL cluster of its own, with the test accounts: for a test that stops the cluster
 * and starts it again (`cluster.halt()`, `cluster.resume()`), which the run's shared cluster must never see.
 */
export async function serverOnOwnCluster(name: string): Promise<{ cluster: Cluster; server: TestServer; close(): Promise<void> }> {
  const cluster = await startCluster(postgresBinDir()!);
  try {
    const url = await freshDatabase(cluster, name);
    await preparePostgres(url);
    const server = await startServer({ DATABASE_URL: url });
    return {
      cluster,
      server,
      close: async () => {
        await server.close();
        removeDir(server.dir);
        cluster.stop();
      },
    };
  } catch (error) {
    cluster.stop();
    throw error;
  }
}
