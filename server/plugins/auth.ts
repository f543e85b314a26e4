import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor, Role } from '../../shared';
import { resolveSession } from '../auth/sessions';
import { Problem, problems } from '../http/problem';

export const SESSION_COOKIE = 'cryoday_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member, when the request carries a valid session cookie. */
    user: Actor | null;
  }
  interface FastifyInstance {
    /** preHandler: a signed-in user, with one of `roles` when given (401 otherwise, 403 for a wrong role). */
    requireUser(roles?: readonly Role[]): preHandlerAsyncHookHandler;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF posture: the session cookie is SameSite=Strict, and a state-changing request that names an
 * Origin must name ours. Non-browser clients (curl, tests) send no Origin and are judged by the cookie.
 */
function checkOrigin(request: FastifyRequest) {
  if (!STATE_CHANGING.has(request.method)) return;
  const origin = request.headers.origin;
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    host = '';
  }
  if (host !== request.headers.host) {
    throw new Problem(403, 'forbidden', {
      fr: 'Requête refusée : elle ne vient pas de CryoDay.',
      en: 'Request refused: it does not come from CryoDay.',
    });
  }
}

export default fp(
  async function auth(app: FastifyInstance) {
    await app.register(cookie);
    app.decorateRequest('user', null);

    app.addHook('onRequest', async (request) => {
      checkOrigin(request);
      const token = request.cookies[SESSION_COOKIE];
      if (token) request.user = resolveSession(app.database.db, token, new Date(), app.config.sessionIdleMs);
    });

    app.decorate('requireUser', (roles?: readonly Role[]) => async (request: FastifyRequest, _reply: FastifyReply) => {
      if (!request.user) throw problems.unauthenticated();
      if (roles && !roles.includes(request.user.role)) throw problems.forbidden();
    });
  },
  { name: 'auth', dependencies: ['database', 'config'] },
);
