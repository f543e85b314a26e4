import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { ROLES, type Role } from '../../shared';
import { boardPath, createDisplayToken, findDisplayToken, listDisplayTokens, revokeDisplayToken } from '../auth/display-tokens';
import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  USERNAME_PATTERN,
  UsernameTakenError,
  createStaff,
  listStaff,
  resetStaffPassword,
  setStaffActive,
  staffInfo,
} from '../auth/staff';
import { Problem, problems } from '../http/problem';
import { problemResponses } from './schemas';

const ADMIN_BODY_LIMIT = 4096;

const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Password = Type.String({
  minLength: MIN_PASSWORD_LENGTH,
  maxLength: MAX_PASSWORD_LENGTH,
  description: `At least ${MIN_PASSWORD_LENGTH} characters`,
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Instant = Type.String({ format: 'date-time' });

const StaffSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  active: Type.Boolean(),
  createdAt: Instant,
  lockedUntil: Type.Union([Instant, Type.Null()], { description: 'Set while sign-in is locked after repeated failures' }),
});

const DisplayTokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Instant,
  lastSeenAt: Type.Union([Instant, Type.Null()], { description: 'Last time a board connected with it' }),
  revokedAt: Type.Union([Instant, Type.Null()]),
});

const NewDisplayTokenSchema = Type.Object({
  ...DisplayTokenSchema.properties,
  token: Type.String({ description: 'Shown once: only its digest is stored' }),
  boardUrl: Type.String({ description: 'Path to open on the wall screen: /board?token=…' }),
});

const staffNotFound = () => problems.notFound({ fr: 'Ce compte n’existe pas.', en: 'This account does not exist.' });
const tokenNotFound = () => problems.notFound({ fr: 'Ce jeton d’affichage n’existe pas.', en: 'This display token does not exist.' });

/** Accounts and wall-screen tokens: admins only. Admins manage people and screens, never patients. */
export default async function adminRoutes(app: FastifyInstance) {
  const db = () => app.database.db;
  const adminOnly = app.requireUser(['admin']);

  app.get(
    '/api/admin/staff',
    {
      preHandler: adminOnly,
      schema: { summary: 'Staff accounts', tags: ['admin'], response: { 200: Type.Object({ staff: Type.Array(StaffSchema) }), ...problemResponses(401, 403) } },
    },
    async () => ({ staff: listStaff(db()) }),
  );

  app.post(
    '/api/admin/staff',
    {
      preHandler: adminOnly,
      bodyLimit: ADMIN_BODY_LIMIT,
      schema: {
        summary: 'Create a staff account',
        tags: ['admin'],
        body: Type.Object(
          {
            username: Type.String({ pattern: USERNAME_PATTERN, description: 'Letters, digits, dot, dash, underscore; stored in lower case' }),
            displayName: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
            role: RoleSchema,
            password: Password,
          },
          { additionalProperties: false },
        ),
        response: { 201: StaffSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const body = request.body as { username: string; displayName: string; role: Role; password: string };
      try {
        const created = await createStaff(db(), body);
        request.log.info({ staffId: created.id, role: created.role, by: request.user!.id }, 'staff account created');
        return reply.code(201).send(created);
      } catch (error) {
        if (error instanceof UsernameTakenError) {
          throw new Problem(409, 'conflict', {
            fr: `L’identifiant « ${error.username} » est déjà pris.`,
            en: `The username "${error.username}" is already taken.`,
          });
        }
        throw error;
      }
    },
  );

  app.post(
    '/api/admin/staff/:id/disable',
    {
      preHandler: adminOnly,
      bodyLimit: ADMIN_BODY_LIMIT,
      schema: {
        summary: 'Disable an account: it is signed out everywhere at once',
        tags: ['admin'],
        params: IdParams,
        response: { 200: StaffSchema, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      // An admin locking themselves out could leave the unit with no admin at all.
      if (id === request.user!.id) {
        throw new Problem(409, 'conflict', {
          fr: 'Vous ne pouvez pas désactiver votre propre compte.',
          en: 'You cannot disable your own account.',
        });
      }
      const updated = setStaffActive(db(), id, false);
      if (!updated) throw staffNotFound();
      app.live.disconnectStaff(id);
      request.log.info({ staffId: id, by: request.user!.id }, 'staff account disabled');
      return updated;
    },
  );

  app.post(
    '/api/admin/staff/:id/enable',
    {
      preHandler: adminOnly,
      bodyLimit: ADMIN_BODY_LIMIT,
      schema: {
        summary: 'Enable an account (also lifts a sign-in lockout)',
        tags: ['admin'],
        params: IdParams,
        response: { 200: StaffSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const updated = setStaffActive(db(), id, true);
      if (!updated) throw staffNotFound();
      request.log.info({ staffId: id, by: request.user!.id }, 'staff account enabled');
      return updated;
    },
  );

  app.post(
    '/api/admin/staff/:id/reset-password',
    {
      preHandler: adminOnly,
      bodyLimit: ADMIN_BODY_LIMIT,
      schema: {
        summary: 'Set a new password: every open session of the account is revoked',
        tags: ['admin'],
        params: IdParams,
        body: Type.Object({ password: Password }, { additionalProperties: false }),
        response: { 200: StaffSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      if (!staffInfo(db(), id)) throw staffNotFound();
      const updated = await resetStaffPassword(db(), id, (request.body as { password: string }).password);
      if (!updated) throw staffNotFound();
      app.live.disconnectStaff(id);
      request.log.info({ staffId: id, by: request.user!.id }, 'staff password reset');
      return updated;
    },
  );

  app.get(
    '/api/admin/display-tokens',
    {
      preHandler: adminOnly,
      schema: {
        summary: 'Wall-screen display tokens (name, last seen, revoked)',
        tags: ['admin'],
        response: { 200: Type.Object({ tokens: Type.Array(DisplayTokenSchema) }), ...problemResponses(401, 403) },
      },
    },
    async () => ({ tokens: listDisplayTokens(db()) }),
  );

  app.post(
    '/api/admin/display-tokens',
    {
      preHandler: adminOnly,
      bodyLimit: ADMIN_BODY_LIMIT,
      schema: {
        summary: 'Create a display token for a wall screen; the clear token is returned this once',
        tags: ['admin'],
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' }) }, { additionalProperties: false }),
        response: { 201: NewDisplayTokenSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { token, info } = createDisplayToken(db(), (request.body as { name: string }).name.trim(), new Date());
      request.log.info({ displayTokenId: info.id, by: request.user!.id }, 'display token created');
      return reply.code(201).header('cache-control', 'no-store').send({ ...info, token, boardUrl: boardPath(token) });
    },
  );

  app.post(
    '/api/admin/display-tokens/:id/revoke',
    {
      preHandler: adminOnly,
      bodyLimit: ADMIN_BODY_LIMIT,
      schema: {
        summary: 'Revoke a display token: the screen using it is disconnected at once',
        tags: ['admin'],
        params: IdParams,
        response: { 200: DisplayTokenSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      if (!findDisplayToken(db(), id)) throw tokenNotFound();
      revokeDisplayToken(db(), id, new Date());
      // Also when it was already revoked: a socket must never outlive its token.
      app.live.disconnectDisplayToken(id);
      request.log.info({ displayTokenId: id, by: request.user!.id }, 'display token revoked');
      return findDisplayToken(db(), id)!;
    },
  );
}
