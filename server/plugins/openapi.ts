import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The OpenAPI description is generated from the very schemas the routes validate with, so every
 * command's payload is documented exactly as it is checked. Registered before the routes it describes.
 */
export default fp(
  async function openapi(app: FastifyInstance) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'CryoDay API',
          version: '1',
          description:
            'Live workflow of a cryoneurolysis day. Errors are application/problem+json (RFC 9457) with a stable `code`. ' +
            'Live updates: websocket at /api/live (snapshot, then ordered events with a global `seq`; send {"type":"resume","since":seq} or connect with ?since=seq to get exactly the missed events).',
        },
        components: {
          securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'cryoday_session' } },
        },
        security: [{ session: [] }],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
    app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
