import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { openDatabase, type Connection } from '../../db/connection';
import type { Store } from '../../db/store';
import { GroupCommit } from '../cases/group-commit';
import { describeRebuild, rebuildProjections } from '../cases/rebuild';

declare module 'fastify' {
  interface FastifyInstance {
    /** The SQLite connection, for what is not behind the store yet (auth, reports, admin, interfaces). */
    database: Connection;
    /** The store the command path, the case routes and the live feed use, whichever dialect runs. */
    store: Store;
    /** Runs a command's work in the next shared transaction; resolves once it is committed. */
    groupCommit: GroupCommit;
  }
}

export default fp(
  async function database(app: FastifyInstance) {
    const connection = openDatabase(app.config.databasePath);
    // Stored states folded by another release's `evolve` would make commands and the live replay
    // disagree about a case: refold them all before the first request can read one.
    const store: Store = connection.sqliteStore;
    const stale = await store.staleCaseCount();
    if (stale > 0) {
      const report = await rebuildProjections(store, app.settings.timeZone);
      app.log.info({ staleCases: stale, ...report }, `case states older than this release: ${describeRebuild(report)}`);
    }
    app.decorate('database', connection);
    app.decorate('store', store);
    app.decorate('groupCommit', new GroupCommit(store));
    app.addHook('onClose', async () => connection.close());
  },
  { name: 'database', dependencies: ['config', 'settings'] },
);
