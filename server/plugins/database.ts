import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { openDatabase, type Connection } from '../../db/connection';
import { GroupCommit } from '../cases/group-commit';

declare module 'fastify' {
  interface FastifyInstance {
    database: Connection;
    /** Runs a command's work in the next shared transaction; resolves once it is committed. */
    groupCommit: GroupCommit;
  }
}

export default fp(
  async function database(app: FastifyInstance) {
    const connection = openDatabase(app.config.databasePath);
    app.decorate('database', connection);
    app.decorate('groupCommit', new GroupCommit(connection.sqlite));
    app.addHook('onClose', async () => connection.close());
  },
  { name: 'database', dependencies: ['config'] },
);
