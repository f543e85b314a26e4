import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { staff } from '../../db/schema';
import { DECOY_HASH, verifyPassword } from '../auth/passwords';
import { createSession, revokeSession } from '../auth/sessions';
import { Problem, problems } from '../http/problem';
import { SESSION_COOKIE } from '../plugins/auth';

const Me = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('nurse'), Type.Literal('radiologist'), Type.Literal('coordinator'), Type.Literal('admin')]),
});

const badCredentials = () =>
  new Problem(401, 'unauthenticated', {
    fr: 'Identifiant ou mot de passe incorrect.',
    en: 'Wrong username or password.',
  });

export default async function authRoutes(app: FastifyInstance) {
  app.post(
    '/api/auth/login',
    {
      schema: {
        summary: 'Sign in: sets the HttpOnly session cookie',
        tags: ['auth'],
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
          { additionalProperties: false },
        ),
        response: { 200: Me },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body as { username: string; password: string };
      const account = app.database.db.select().from(staff).where(eq(staff.username, username.trim().toLowerCase())).get();
      const ok = await verifyPassword(password, account?.passwordHash ?? (await DECOY_HASH));
      if (!account || !account.active || !ok) throw badCredentials();
      const token = createSession(app.database.db, account.id, new Date());
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        maxAge: Math.round(app.config.sessionIdleMs / 1000),
      });
      return { id: account.id, name: account.displayName, role: account.role };
    },
  );

  app.post('/api/auth/logout', { schema: { summary: 'Sign out: revokes the session', tags: ['auth'] } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) revokeSession(app.database.db, token, new Date());
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/auth/me', { schema: { summary: 'The signed-in user', tags: ['auth'], response: { 200: Me } } }, async (request) => {
    if (!request.user) throw problems.unauthenticated();
    return request.user;
  });
}
