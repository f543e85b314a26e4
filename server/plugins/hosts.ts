import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LOOPBACK_NAMES, hostName } from '../config';
import { Problem } from '../http/problem';

const misdirected = () =>
  new Problem(421, 'misdirected_request', { key: 'problem.misdirected_request' });

/**
 * DNS rebinding: a page on a name the attacker owns, re-pointed at this server, would reach sign-in
 * and the API as same-origin. The Host header still names the attacker's domain, so only the names in
 * ALLOWED_HOSTS (plus the listen address and loopback) are answered. A global hook, registered
 * before every route, so 404s, the site and the live handshake are covered alike.
 */
export default fp(
  async function hosts(app: FastifyInstance) {
    const allowed = new Set(app.config.allowedHosts);
    const everyInterface = ['0.0.0.0', '::'].includes(app.config.host);
    if (everyInterface && app.config.allowedHosts.every((h) => LOOPBACK_NAMES.includes(h))) {
      app.log.warn('HOST listens on every interface but ALLOWED_HOSTS is empty: only localhost can reach CryoDay until it names the server');
    }
    app.addHook('onRequest', async (request, reply) => {
      // request.host follows X-Forwarded-Host only from a trusted proxy: the name the browser used.
      if (allowed.has(hostName(request.host ?? ''))) return;
      // @fastify/websocket's own hook has not run yet, so it would not close a refused handshake's socket.
      if (request.headers.upgrade) reply.raw.once('finish', () => request.raw.socket.destroy());
      throw misdirected();
    });
  },
  { name: 'hosts', dependencies: ['config', 'errors'] },
);
