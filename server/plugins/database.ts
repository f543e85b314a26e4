import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { openDatabase, type Connection } from '../../db/connection';
import type { PgConnection } from '../../db/pg/connection';
import type { Store } from '../../db/store';
import type { AccountStore } from '../auth/account-store';
import { PgAccounts } from '../auth/pg-accounts';
import { SqliteAccounts } from '../auth/sqlite-accounts';
import { GroupCommit } from '../cases/group-commit';
import { describeRebuild, rebuildProjections } from '../cases/rebuild';
import { PgUnitStore, SqliteUnitStore, type UnitStore } from '../unit/unit-store';
import { notOnPostgresql } from '../http/not-on-postgresql';
import { FALLBACK_AUTOCHECKPOINT_PAGES, WalCheckpointer } from '../workers/checkpointer';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The SQLite connection, for what is not behind the store yet (reports, admin, interfaces). On
     * PostgreSQL there is none: reaching for it answers 501 not_on_postgresql.
     */
    database: Connection;
    /** The PostgreSQL pool when DATABASE_URL is set (several instances share its database); null on SQLite. */
    postgres: PgConnection | null;
    /** The store the command path, the case routes and the live feed use, whichever dialect runs. */
    store: Store;
    /** Accounts, sessions, display tokens and the sign-in lockout, on the same database as the store. */
    accounts: AccountStore;
    /** The unit's identity and imaging machines, on the same database. */
    unit: UnitStore;
    /** Runs a command's work in the next shared transaction; resolves once it is committed. */
    groupCommit: GroupCommit;
    /** SQLite's WAL checkpoints, in a thread of their own (null on PostgreSQL and on an in-memory database). */
    checkpointer: WalCheckpointer | null;
  }
}

async function open(app: FastifyInstance): Promise<{ store: Store; accounts: AccountStore; unit: UnitStore; close: () => Promise<void> }> {
  const url = app.config.databaseUrl;
  if (url === null) {
    const connection = openDatabase(app.config.databasePath);
    app.decorate('database', connection);
    app.decorate('postgres', null);
    const checkpointer =
      app.config.databasePath === ':memory:' ? null : new WalCheckpointer(app.config.databasePath, app.config.walCheckpointMs, (error) => app.log.error({ err: error }, 'WAL checkpoint thread'));
    if (checkpointer) {
      connection.sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
      checkpointer.start();
    }
    app.decorate('checkpointer', checkpointer);
    const close = async () => {
      await checkpointer?.stop();
      connection.close();
    };
    return { store: connection.sqliteStore, accounts: new SqliteAccounts(connection.db), unit: new SqliteUnitStore(connection.db), close };
  }
  // Loaded only here: a SQLite server never loads the PostgreSQL driver (about 9 MB).
  const { openPostgres } = await import('../../db/pg/connection');
  // Migrations run under an advisory lock: instances started together apply each one once.
  const postgres = await openPostgres(url);
  app.decorate('database', {
    getter() {
      throw notOnPostgresql();
    },
  });
  app.decorate('postgres', postgres);
  app.decorate('checkpointer', null);
  return { store: postgres.store, accounts: new PgAccounts(postgres.pool), unit: new PgUnitStore(postgres.pool), close: () => postgres.close() };
}

export default fp(
  async function database(app: FastifyInstance) {
    const { store, accounts, unit, close } = await open(app);
    // Stored states folded by another release's `evolve` would make commands and the live replay
    // disagree about a case: refold them all before the first request can read one.
    const stale = await store.staleCaseCount();
    if (stale > 0) {
      const report = await rebuildProjections(store, app.settings.timeZone);
      app.log.info({ staleCases: stale, ...report }, `case states older than this release: ${describeRebuild(report)}`);
    }
    app.decorate('store', store);
    app.decorate('accounts', accounts);
    app.decorate('unit', unit);
    app.decorate('groupCommit', new GroupCommit(store));
    app.addHook('onClose', close);
  },
  { name: 'database', dependencies: ['config', 'settings'] },
);
