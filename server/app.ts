import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config';
import configPlugin from './plugins/config';
import databasePlugin from './plugins/database';
import errorsPlugin from './plugins/errors';
import staticSitePlugin from './plugins/static-site';
import livePlugin from './plugins/live';
import healthRoutes from './routes/health';

/** Largest accepted request body: a command is a few hundred bytes, a whole day's schedule a few kB. */
export const BODY_LIMIT = 64 * 1024;

export interface BuildOptions {
  logger?: boolean;
}

/** Builds the whole application without listening, so tests can inject or bind port 0. */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.logLevel, redact: ['req.headers.cookie', 'req.body.password'] },
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    // Deep or hostile JSON must be refused cleanly, never crash the parser.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });
  await app.register(configPlugin, { config });
  await app.register(errorsPlugin);
  await app.register(databasePlugin);
  await app.register(livePlugin);
  await app.register(healthRoutes);
  await app.register(staticSitePlugin);
  return app;
}
