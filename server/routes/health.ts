import type { FastifyInstance } from 'fastify';
import Type from 'typebox';

export default async function healthRoutes(app: FastifyInstance) {
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
      return { status: 'ok' as const, seq: app.database.store.lastSeq(), time: new Date().toISOString() };
    },
  );
}
