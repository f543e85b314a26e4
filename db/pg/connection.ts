import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { connectionConfig } from './connection-config';
import { PgEventStore } from './event-store';
import * as schema from './schema';

export type PgDB = NodePgDatabase<typeof schema>;
export interface PgConnection {
  pool: pg.Pool;
  db: PgDB;
  store: PgEventStore;
  close(): Promise<void>;
}

export { connectionConfig };

export const PG_MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

// Held while migrating, so that instances started together apply each migration once.
const MIGRATION_LOCK = [1128423503, 0] as const;

export async function migratePostgres(connectionString: string, migrationsFolder = PG_MIGRATIONS_FOLDER): Promise<void> {
  const client = new pg.Client(connectionConfig(connectionString));
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.end();
  }
}

export interface PgOptions {
  /** Connections of this instance's pool. */
  max?: number;
  /**
   * A transaction left idle this long is ended by the server: a writer holds the log's head lock,
   * and an instance that hangs mid-command (a stalled process, a lost network) must not stop the
   * others for the minutes TCP takes to notice.
   */
  idleInTransactionMs?: number;
}

/** Migrates, then opens a pool on the database at `connectionString` (postgres://…). */
export async function openPostgres(connectionString: string, options: PgOptions = {}): Promise<PgConnection> {
  await migratePostgres(connectionString);
  const pool = new pg.Pool(
    connectionConfig(connectionString, { max: options.max ?? 10, idle_in_transaction_session_timeout: options.idleInTransactionMs ?? 10_000 }),
  );
  // An idle connection the server closes (a restart, pg_terminate_backend) is reported here; the pool
  // drops it and opens another on the next query. Unheard, the event would end the process.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema });
  const store = new PgEventStore(pool);
  return { pool, db, store, close: () => pool.end() };
}
