import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/health',
    {
      schema: {
        summary: 'Liveness and database check',
        tags: ['system'],
        response: {
          200: Type.Object({ status: Type.Literal('ok'), seq: Type.Integer(), time: Type.String() }),
        },
      },
    },
    async () => {
      // Reading the last seq proves the database answers, not only the process.
      return { status: 'ok' as const, seq: await app.store.lastSeq(), time: new Date().toISOString() };
    },
  );
};

export default healthRoutes;
