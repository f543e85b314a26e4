import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { SignedInUserSchema } from '../../shared';
import { HashQueue } from '../auth/hash-queue';
import { DECOY_HASH, verifyPassword } from '../auth/passwords';
import { createSession, revokeSession } from '../auth/sessions';
import { Problem, problems } from '../http/problem';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from '../plugins/auth';
import { problemResponses } from './schemas';

/** Sign-in bodies are tiny; refusing anything bigger costs an attacker more than it costs us. */
const LOGIN_BODY_LIMIT = 4096;

const badCredentials = () =>
  new Problem(401, 'unauthenticated', { key: 'problem.bad_credentials' });

/** Worded for the username typed, never for an account: unknown usernames lock exactly the same way. */
const locked = (until: Date, now: Date) => {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return new Problem(
    429,
    'account_locked',
    { key: 'problem.account_locked', params: { minutes } },
    { retryAfterSeconds: Math.ceil((until.getTime() - now.getTime()) / 1000) },
  );
};

// Sign-in flood (docs/security.md): two hashes at once on a two-core unit server, eight waiting
// (well under a second's wait); beyond that an attempt is refused at once, unhashed and uncounted.
const HASH_CONCURRENCY = 2;
const HASH_WAITING = 8;
// Sign-ins reading the lockout and the account at once, before their place in the hash line: enough
// for one username's burst (twenty in flight must all be told "locked"), few enough that a flood is
// refused at once and a nurse's retry waits behind a few dozen hashes at most.
const HASH_READING = 32;
const BUSY_RETRY_SECONDS = 1;

const busy = () =>
  new Problem(
    503,
    'server_busy',
    { key: 'problem.server_busy' },
    { retryAfterSeconds: BUSY_RETRY_SECONDS },
  );

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hashing = new HashQueue(HASH_CONCURRENCY, HASH_WAITING, HASH_READING);
  app.post(
    '/api/auth/login',
    {
      bodyLimit: LOGIN_BODY_LIMIT,
      config: { rateLimit: { max: app.config.loginRateLimit, timeWindow: 60_000 } },
      schema: {
        summary: 'Sign in: sets the HttpOnly session cookie',
        description: `Limited per address (${app.config.loginRateLimit} a minute) and per username (${app.loginLockout.policy.maxFailures} consecutive failures lock it for ${app.loginLockout.policy.lockMs / 60_000} min).`,
        tags: ['auth'],
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
          { additionalProperties: false },
        ),
        response: { 200: SignedInUserSchema, ...problemResponses(400, 401, 403, 429, 503) },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const now = new Date();
      // The place is taken before the first await: the lockout and the account are database reads
      // (real waits on PostgreSQL), and a flood must not all pass the check while they run.
      const place = hashing.reserve();
      if (!place) {
        reply.header('retry-after', BUSY_RETRY_SECONDS);
        throw busy();
      }
      let ok: boolean;
      let account: Awaited<ReturnType<typeof app.accounts.accountOf>>;
      let attempt: Awaited<ReturnType<typeof app.loginLockout.beginAttempt>>;
      const lockout = app.loginLockout;
      try {
        // The attempt counts as a failure before the hash is computed (cleared below on success): sign-ins
        // running side by side cannot all slip past the lock while their hashes are being computed.
        attempt = await lockout.beginAttempt(username, now);
        if (attempt.refusedUntil) {
          reply.header('retry-after', Math.ceil((attempt.refusedUntil.getTime() - now.getTime()) / 1000));
          throw locked(attempt.refusedUntil, now);
        }
        account = await app.accounts.accountOf(username);
        // The same scrypt work whether or not the username exists, so timing tells nothing either.
        ok = await place.run(async () => verifyPassword(password, account?.passwordHash ?? (await DECOY_HASH)));
      } finally {
        place.release();
      }
      if (!account || !account.active || !ok) {
        // This failure set the lock (and no success running beside it has lifted it since): say so.
        const lockedNow = attempt.locksUntil && (await lockout.lockedUntil(username, now));
        if (lockedNow) {
          reply.header('retry-after', Math.ceil((lockedNow.getTime() - now.getTime()) / 1000));
          throw locked(lockedNow, now);
        }
        throw badCredentials();
      }
      await lockout.clear(account.id);
      // A shared tablet: signing in over the last user's session ends it (and its live feed), so the
      // browser never holds two and the previous user's session cannot be picked up again.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) {
        await revokeSession(app.accounts, previous, now);
        app.live.disconnectSession(previous);
      }
      setSessionCookie(app, request, reply, await createSession(app.accounts, account.id, now));
      request.log.info({ staffId: account.id }, 'signed in');
      return { id: account.id, name: account.displayName, role: account.role, mustChangePassword: account.mustChangePassword };
    },
  );

  app.post(
    '/api/auth/logout',
    { bodyLimit: LOGIN_BODY_LIMIT, schema: { summary: 'Sign out: revokes the session on the server', tags: ['auth'], response: { 204: Type.Null({ description: 'No content' }) } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) {
        await revokeSession(app.accounts, token, new Date());
        // A shared tablet: the next nurse must not inherit a live feed opened by the last one.
        app.live.disconnectSession(token);
      }
      clearSessionCookie(request, reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { schema: { summary: 'The signed-in user', tags: ['auth'], response: { 200: SignedInUserSchema, ...problemResponses(401) } } },
    async (request) => {
      if (!request.user) throw problems.unauthenticated();
      return { ...request.user, mustChangePassword: request.passwordChangeRequired };
    },
  );
};

export default authRoutes;
