import { existsSync } from 'node:fs';

/**
 * Which store the test servers run on: SQLite (a file per server, the default), or, with
 * CRYODAY_TEST_STORE=postgres (the integration-pg project), a fresh database of the run's cluster per
 * server, copied from the migrated template. The same test files then prove the same behaviour on both.
 */
export const onPostgres = process.env.CRYODAY_TEST_STORE === 'postgres';

// A SQLite path the tests chose stands for one database: a server restarted on the same folder, a CLI run
// on the same file, finds the rows the previous one left.
const databases = new Map<string, Promise<string>>();

/**
 * The PostgreSQL database that stands for the SQLite file at `path`, created on first use. The PostgreSQL
 * driver is loaded only here, so a SQLite run of the suite never loads it.
 */
export function databaseUrlOf(path: string): Promise<string> {
  let url = databases.get(path);
  if (!url) {
    url = (async () => {
      // Imported here: bench/ and scripts/ start test servers outside vitest, on SQLite.
      const cluster = (await import('vitest')).inject('postgres');
      if (!cluster) throw new Error('CRYODAY_TEST_STORE=postgres, and this run has no PostgreSQL cluster');
      const { freshDatabase } = await import('./postgres');
      return freshDatabase(cluster, 'cryoday_it', cluster.template);
    })();
    databases.set(path, url);
  }
  return url;
}

/**
 * The env a server, a server process or a CLI gets for its database: on PostgreSQL, DATABASE_URL beside a
 * DATABASE_PATH that names a file which must never appear (nothing opens SQLite then).
 */
export async function storeEnv(databasePath: string): Promise<Record<string, string>> {
  return onPostgres ? { DATABASE_PATH: databasePath, DATABASE_URL: await databaseUrlOf(databasePath) } : { DATABASE_PATH: databasePath };
}

/** Fails when a server on PostgreSQL created its SQLite file after all. */
export function assertNoSqliteFile(databasePath: string) {
  if (onPostgres && databasePath !== ':memory:' && existsSync(databasePath)) {
    throw new Error(`a server on PostgreSQL opened the SQLite file ${databasePath}`);
  }
}
