import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { newToken, tokenDigest } from '../../server/auth/tokens';
import { migratePostgres } from '../../db/pg/connection';
import { Api, TEST_PASSWORD, testPasswordHash } from '../support/api';
import type { Bundle } from '../support/bundle';
import { asServer, spawnServer, type ServerProcess } from '../support/process';

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
