import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { WorkerPool } from '../workers/pool';

declare module 'fastify' {
  interface FastifyInstance {
    /** Worker threads for exports and range reports (server/workers/jobs.ts lists what they run). */
    reportPool: WorkerPool;
  }
}

export default fp(
  async function workers(app: FastifyInstance) {
    const pool = new WorkerPool({
      databasePath: app.config.databasePath,
      databaseUrl: app.config.databaseUrl,
      size: app.config.reportWorkers,
      maxQueued: app.config.reportQueue,
      idleMs: app.config.reportWorkerIdleMs,
      onError: (error) => app.log.error({ err: error }, 'report worker stopped; it is replaced on the next export'),
    });
    app.decorate('reportPool', pool);
    app.addHook('onClose', async () => pool.close());
  },
  // After the database: its migrations have run before any worker opens the file read-only.
  { name: 'workers', dependencies: ['config', 'database'] },
);
