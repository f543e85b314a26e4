// `npm run db:rebuild`: refold every case's stored state from the event log, in one transaction. The
// server does the same at start when the stored states are of another projection version; this is
// for an operator who wants it now (after restoring a backup, or to check the log folds cleanly).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase } from '../../db/connection';
import { openPostgres } from '../../db/pg/connection';
import { describeRebuild, rebuildProjections } from '../cases/rebuild';
import { ConfigError, loadConfig } from '../config';

async function main() {
  const config = loadConfig();
  if (config.databaseUrl !== null) {
    // The same refold through the store: its transaction holds the log's head, so instances' commands wait for it.
    const postgres = await openPostgres(config.databaseUrl);
    try {
      console.log(`PostgreSQL: ${describeRebuild(await rebuildProjections(postgres.store, config.timezone))}`);
    } finally {
      await postgres.close();
    }
    return;
  }
  const path = resolve(config.databasePath);
  if (!existsSync(path)) {
    console.error(`no database at ${path} (DATABASE_PATH)`);
    process.exitCode = 1;
    return;
  }
  const connection = openDatabase(path);
  try {
    console.log(`${path}: ${describeRebuild(await rebuildProjections(connection.sqliteStore, config.timezone))}`);
  } finally {
    connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `db:rebuild: ${error.message}` : `db:rebuild failed, no case state changed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
