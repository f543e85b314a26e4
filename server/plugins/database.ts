import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { openDatabase, type Connection } from '../../db/connection';

declare module 'fastify' {
  interface FastifyInstance {
    database: Connection;
  }
}

export default fp(
  async function database(app: FastifyInstance) {
    const connection = openDatabase(app.config.databasePath);
    app.decorate('database', connection);
    app.addHook('onClose', async () => connection.close());
  },
  { name: 'database', dependencies: ['config'] },
);
