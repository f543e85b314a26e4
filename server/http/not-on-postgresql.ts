import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from './problem';

/**
 * What a route still written for the SQLite connection answers when the app runs on PostgreSQL
 * (docs/architecture.md lists them): a clear refusal, never a read of a SQLite file no other
 * instance sees.
 */
export const notOnPostgresql = () => new Problem(501, 'not_on_postgresql', { key: 'problem.not_on_postgresql' });

/**
 * Registers route plugins still written for the SQLite connection. On PostgreSQL their routes stay
 * listed (the API description, a client's links) but answer 501 after the sign-in check and before
 * anything else runs: their handlers would reach for a SQLite file no other instance sees.
 */
export function sqliteOnly(...plugins: FastifyPluginAsyncTypebox[]) {
  return async function sqliteOnlyRoutes(app: FastifyInstance) {
    if (app.postgres) {
      app.addHook('preValidation', async () => {
        throw notOnPostgresql();
      });
    }
    for (const plugin of plugins) await app.register(plugin);
  };
}
