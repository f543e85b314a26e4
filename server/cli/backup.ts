// `npm run backup -- <file>`: a consistent copy of the live database, taken with SQLite's online
// backup API while the server keeps running (readers and writers are not blocked for long).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig } from '../config';

async function main() {
  const target = process.argv[2];
  if (!target || target.startsWith('-')) {
    console.error('usage: npm run backup -- <backup-file.sqlite>');
    process.exit(2);
  }
  const config = loadConfig();
  if (config.databaseUrl !== null) {
    // PostgreSQL has its own consistent online dump: this tool copies SQLite files only. Said, not
    // done, and the exit status says nothing was written, so a scheduled job cannot take it for a backup.
    console.error(postgresBackupAdvice(target));
    process.exit(1);
  }
  const source = resolve(config.databasePath);
  if (!existsSync(source)) {
    console.error(`no database at ${source} (DATABASE_PATH)`);
    process.exit(1);
  }
  if (existsSync(target)) {
    console.error(`${target} already exists: choose a new file name, a backup never overwrites`);
    process.exit(1);
  }
  const db = new Database(source, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const started = Date.now();
  // All pages in one step: a step-by-step copy restarts each time the server writes in between, and
  // on a busy day might never finish. One step reads one consistent snapshot; in WAL mode the
  // server's writers are not blocked meanwhile.
  await db.backup(target, { progress: () => Number.MAX_SAFE_INTEGER });
  db.close();
  // The copy must open and pass SQLite's own integrity check before we call it a backup.
  const copy = new Database(target, { readonly: true });
  const check = copy.pragma('integrity_check', { simple: true });
  const events = (copy.prepare('select count(*) as n from events').get() as { n: number }).n;
  copy.close();
  if (check !== 'ok') {
    console.error(`backup written to ${target} but its integrity check says: ${String(check)}`);
    process.exit(1);
  }
  console.log(`backup of ${source} written to ${target} in ${Date.now() - started} ms (${events} events, integrity ok)`);
}

/** What to run instead on PostgreSQL: the URL is named by its variable, never printed with its password. */
export function postgresBackupAdvice(target: string): string {
  return [
    'DATABASE_URL is set: the data is in PostgreSQL, and npm run backup copies SQLite files only. Nothing was written.',
    'Back it up with pg_dump, while every instance keeps running (it reads one consistent snapshot and blocks no writer):',
    '',
    `  pg_dump --format=custom --no-owner --no-privileges --file=${JSON.stringify(target)} "$DATABASE_URL"`,
    '',
    'Restore into an empty database, with every instance stopped, then start them (migrations bring an older dump up to date):',
    '',
    `  pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" ${JSON.stringify(target)}`,
    '',
    'Use the pg_dump of the server’s major version or newer (pg_dump --version), and keep dumps off the database host.',
  ].join('\n');
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? `backup: ${error.message}` : `backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
