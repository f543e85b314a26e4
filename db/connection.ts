import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { EventStore } from './event-store';
import * as schema from './schema';
import { SqliteStore } from './sqlite-store';

export type DB = BetterSQLite3Database<typeof schema>;
export interface Connection {
  sqlite: Database.Database;
  db: DB;
  store: EventStore;
  /** The same connection behind the `Store` interface: the command path, the case routes and the live feed. */
  sqliteStore: SqliteStore;
  close(): void;
}

export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * The pragmas every connection runs with. synchronous=FULL with WAL makes an acknowledged command
 * survive a power cut, not only a process crash; busy_timeout lets a backup or a CLI run beside the server.
 */
export function applyPragmas(sqlite: Database.Database): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

/** Opens (creating the folder and file when needed) and migrates the database at `path`. */
export function openDatabase(path: string, migrationsFolder = MIGRATIONS_FOLDER): Connection {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  applyPragmas(sqlite);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  let store: EventStore | undefined;
  let sqliteStore: SqliteStore | undefined;
  return {
    sqlite,
    db,
    // Prepared on first use: its statements name the latest columns, which a database migrated only
    // as far as an older release's folder (tests/integration/migrations.test.ts) does not have.
    get store() {
      return (store ??= new EventStore(sqlite));
    },
    get sqliteStore() {
      return (sqliteStore ??= new SqliteStore(sqlite, this.store));
    },
    close: () => sqlite.close(),
  };
}
