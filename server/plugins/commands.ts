import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { CommandResult, ExecuteContext } from '../cases/execute';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Runs a command for the signed-in user in the next group commit, then (only once it is on disk)
     * publishes its events live and answers.
     */
    runCommand(request: FastifyRequest, reply: FastifyReply, work: (context: ExecuteContext) => Promise<CommandResult>): Promise<FastifyReply>;
  }
}

export default fp(
  async function commands(app: FastifyInstance) {
    app.decorate('runCommand', async (request: FastifyRequest, reply: FastifyReply, work: (context: ExecuteContext) => Promise<CommandResult>) => {
      // The route's header schema let only a string through, when there is one.
      const key = request.headers['idempotency-key'];
      const context: Omit<ExecuteContext, 'tx'> = {
        settings: app.settings,
        labelMode: app.config.boardLabel,
        actor: request.user!,
        now: new Date(),
        idempotencyKey: typeof key === 'string' ? key : undefined,
      };
      const result = await app.groupCommit.run((tx) => work({ ...context, tx }));
      app.publish(result.publications);
      return reply.code(result.status).send(result.body);
    });
  },
  { name: 'commands', dependencies: ['database', 'settings', 'live', 'auth'] },
);
