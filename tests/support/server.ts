import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { assertNoSqliteFile, storeEnv } from './test-store';

export interface TestServer {
  app: FastifyInstance;
  url: string;
  wsUrl: string;
  dir: string;
  config: Config;
  /** Every log line the server wrote (none at the default LOG_LEVEL=silent). */
  log(): string;
  close(): Promise<void>;
}

/**
 * A real server on 127.0.0.1 with a port the OS picks and a real SQLite file in a fresh folder, or, under
 * CRYODAY_TEST_STORE=postgres, the PostgreSQL database that stands for that file (tests/support/test-store.ts).
 * `beforeListen` sees the built app before it starts, while hooks can still be added.
 */
export async function startServer(
  env: Record<string, string> = {},
  dir = mkdtempSync(join(tmpdir(), 'cryoday-')),
  options: { beforeListen?: (app: FastifyInstance) => unknown } = {},
): Promise<TestServer> {
  const databasePath = env.DATABASE_PATH ?? join(dir, 'cryoday.sqlite');
  const database = env.DATABASE_URL ? { DATABASE_PATH: databasePath } : await storeEnv(databasePath);
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT: '1000', ...env, ...database });
  let log = '';
  const app = await buildApp(config, { logStream: { write: (line) => void (log += line) } });
  // Awaited only when it is a promise: a Fastify instance it may return is thenable too (its ready()).
  const before = options.beforeListen?.(app);
  if (before instanceof Promise) await before;
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no TCP address');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app,
    url,
    wsUrl: url.replace('http', 'ws'),
    dir,
    config,
    log: () => log,
    close: async () => {
      await app.close();
      assertNoSqliteFile(config.databasePath);
    },
  };
}

export function removeDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
}
