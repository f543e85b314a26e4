import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions, onRequestAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { isInterfacePath, type Actor, type Role } from '../../shared';
import { LoginLockout } from '../auth/lockout';
import { endSessionsPastLifetime, resolveSessionAccount } from '../auth/sessions';
import { passwordChangeGate } from '../auth/password-change-gate';
import { Problem, problems } from '../http/problem';

export const SESSION_COOKIE = 'cryoday_session';

/**
 * The only /api routes open without a session. Everything else under /api is closed by default, so a
 * route added tomorrow cannot be forgotten open. `/api/live` checks for itself: a session, or a
 * wall screen's display token in `?token=`.
 */
// The API description (/api/openapi.json, rendered at /api/docs) is open too: the public contract
// names it for other tools, it is the same for every unit and holds no patient data, and a tool that
// checks every listed route answers 401 must be able to read the list without signing in.
export const PUBLIC_API_ROUTES: ReadonlySet<string> = new Set(['/api/health', '/api/auth/login', '/api/auth/logout', '/api/openapi.json']);
export const isPublicApi = (path: string) => PUBLIC_API_ROUTES.has(path) || path === '/api/docs' || path.startsWith('/api/docs/');
const SELF_AUTHENTICATED_ROUTES: ReadonlySet<string> = new Set(['/api/live']);

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member, when the request carries a valid session cookie. */
    user: Actor | null;
    /** The session's account holds a one-time password: see server/auth/password-change-gate.ts. */
    passwordChangeRequired: boolean;
  }
  interface FastifyInstance {
    /** preHandler: a signed-in user, with one of `roles` when given (401 otherwise, 403 for a wrong role). */
    requireUser(roles?: readonly Role[]): preHandlerAsyncHookHandler;
    /** Per-username sign-in lockout (see server/auth/lockout.ts), counted in the database every instance shares. */
    loginLockout: LoginLockout;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const foreignRequest = () =>
  new Problem(403, 'forbidden', { key: 'problem.foreign_request' });

/** scheme://host[:port] as the URL standard writes it (lower case, default port dropped); null when not a URL. */
function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * CSRF posture: the session cookie is SameSite=Strict, and a state-changing request (or the live
 * socket's handshake) that names an Origin must name ours, scheme included (http://our-host is another
 * origin than https://our-host); a browser that says the request is cross-site (Sec-Fetch-Site) is
 * refused too. Non-browser clients (curl, the tests) send neither header and are judged by the cookie
 * alone. Behind a TLS-terminating proxy the scheme is only known with TRUST_PROXY=1: without it, a
 * request that reached us over plain HTTP may have been HTTPS at the browser, so only the host is
 * compared (signing in must not break behind a proxy nobody declared).
 */
function checkOrigin(request: FastifyRequest) {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw foreignRequest();
  const origin = request.headers.origin;
  if (!origin) return;
  const claimed = originOf(origin);
  const ours = originOf(`${request.protocol}://${request.host}`);
  if (claimed === null || ours === null) throw foreignRequest();
  const schemeKnown = request.protocol === 'https' || request.server.config.trustProxy;
  const matches = schemeKnown
    ? claimed === ours
    : new URL(claimed).host === new URL(ours).host && ['http:', 'https:'].includes(new URL(claimed).protocol);
  if (!matches) throw foreignRequest();
}

/**
 * HttpOnly, SameSite=Strict, Secure whenever the request came over HTTPS (directly or through a trusted
 * proxy). It lasts as long as the session may: the idle limit, or what is left of its lifetime if less.
 */
export function setSessionCookie(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  remainingMs = Math.min(app.config.sessionIdleMs, app.config.sessionMaxMs),
) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    maxAge: Math.max(1, Math.floor(remainingMs / 1000)),
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
}

const requireSession: onRequestAsyncHookHandler = async (request) => {
  if (!request.user) throw problems.unauthenticated();
  // The interface engine's account posts bookings and nothing else, whatever a route's own check says.
  if (request.user.role === 'interface' && !isInterfacePath(request.url.split('?')[0]!)) throw problems.forbidden();
};

// A route hook, not a global one: @fastify/websocket's own onRequest hook must have run first, so a
// refused handshake's socket is closed after the 403 instead of lingering.
const refuseForeignHandshake: onRequestAsyncHookHandler = async (request) => checkOrigin(request);

function prepend(route: RouteOptions, hook: onRequestAsyncHookHandler) {
  const own = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
  route.onRequest = [hook, ...own] as typeof route.onRequest;
}

export default fp(
  async function auth(app: FastifyInstance) {
    await app.register(cookie);
    // Only routes that ask for it (sign-in) are limited; the limit answers problem+json through the error handler.
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: () =>
        new Problem(429, 'too_many_requests', { key: 'problem.too_many_sign_ins' }),
    });
    app.decorateRequest('user', null);
    app.decorateRequest('passwordChangeRequired', false);
    app.decorate('loginLockout', new LoginLockout(app.accounts));
    const limits = { idleMs: app.config.sessionIdleMs, maxMs: app.config.sessionMaxMs };

    // Sessions past SESSION_MAX_HOURS are revoked once a heartbeat, so the live feed's next check
    // closes their sockets as it does for idle ones.
    const sweep = setInterval(
      () => endSessionsPastLifetime(app.accounts, new Date(), limits.maxMs).catch((error) => app.log.error({ err: error }, 'session sweep failed')),
      app.config.liveHeartbeatMs,
    );
    sweep.unref();
    app.addHook('preClose', async () => clearInterval(sweep));

    app.addHook('onRequest', async (request, reply) => {
      if (STATE_CHANGING.has(request.method)) checkOrigin(request);
      const token = request.cookies[SESSION_COOKIE];
      if (!token) return;
      // A sliding cookie: while the session is in use the browser keeps it as long as the server does.
      const signedIn = await resolveSessionAccount(app.accounts, token, new Date(), limits, (remainingMs) =>
        setSessionCookie(app, request, reply, token, remainingMs),
      );
      request.user = signedIn?.actor ?? null;
      request.passwordChangeRequired = signedIn?.mustChangePassword ?? false;
      if (!request.user) clearSessionCookie(request, reply);
    });

    app.addHook('onRoute', (route) => {
      const path = route.url;
      if (SELF_AUTHENTICATED_ROUTES.has(path)) prepend(route, refuseForeignHandshake);
      else if (path.startsWith('/api/') && !isPublicApi(path)) {
        const gate = passwordChangeGate(path);
        if (gate) prepend(route, gate);
        prepend(route, requireSession);
      }
    });

    app.decorate('requireUser', (roles?: readonly Role[]) => async (request: FastifyRequest, _reply: FastifyReply) => {
      if (!request.user) throw problems.unauthenticated();
      if (roles && !roles.includes(request.user.role)) throw problems.forbidden();
    });
  },
  { name: 'auth', dependencies: ['database', 'config', 'errors'] },
);
