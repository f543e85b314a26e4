import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import {
  AuditPageSchema,
  DisplayTokenSchema,
  NewDisplayTokenSchema,
  NewStaffSchema,
  StaffAccountSchema,
  WithOneTimePasswordSchema,
  type StaffAccount,
} from '../../shared';
import { AUDIT_PAGE_MAX, type AuditActor } from '../auth/account-audit';
import { accountRuleProblem } from '../auth/account-problems';
import { boardPath } from '../auth/display-tokens';
import { oneTimePassword } from '../auth/passwords';
import { DisplayNameTakenError, LastActiveAdminError, UsernameTakenError } from '../auth/staff';
import { Problem, problems } from '../http/problem';
import { problemResponses } from './schemas';

const ADMIN_BODY_LIMIT = 4096;

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const staffNotFound = () => problems.notFound({ key: 'problem.account_not_found' });
const tokenNotFound = () => problems.notFound({ key: 'problem.display_token_not_found' });

/** The account refusals the store raises, as the API answers them. */
function accountProblem(error: unknown): unknown {
  if (error instanceof UsernameTakenError) {
    return new Problem(409, 'conflict', { key: 'problem.username_taken', params: { username: error.username } });
  }
  if (error instanceof DisplayNameTakenError) return accountRuleProblem('display_name_taken', { name: error.displayName });
  if (error instanceof LastActiveAdminError) return accountRuleProblem('last_active_admin');
  return error;
}

/**
 * Accounts and wall-screen tokens: admins only. Admins manage people and screens, never patients.
 * Through the account store, on SQLite or PostgreSQL alike. Disconnecting closes this instance's sockets;
 * the other instances' close at their next heartbeat, which checks sessions and display tokens again.
 */
const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const accounts = app.accounts;
  const adminOnly = app.requireUser(['admin']);
  // The audit names the admin by username: display names can repeat over time, usernames cannot.
  const actor = async (request: FastifyRequest): Promise<AuditActor> => ({
    id: request.user!.id,
    username: (await accounts.staffInfo(request.user!.id))?.username ?? request.user!.id,
  });

  app.get(
    '/api/admin/staff',
    {
      preHandler: adminOnly,
      schema: { summary: 'Staff accounts', tags: ['admin'], response: { 200: Type.Object({ staff: Type.Array(StaffAccountSchema) }), ...problemResponses(401, 403) } },
    },
    async () => ({ staff: await accounts.listStaff() }),
  );

  app.post(
    '/api/admin/staff',
    {
      preHandler: adminOnly,
      bodyLimit: ADMIN_BODY_LIMIT,
      schema: {
        summary: 'Create a staff account with a one-time password, to be changed at first sign-in',
        description: 'Display names are unique among active accounts (compared without case, accents or punctuation): rule `display_name_taken`.',
        tags: ['admin'],
        body: NewStaffSchema,
        response: { 201: WithOneTimePasswordSchema, ...problemResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const password = oneTimePassword();
      try {
        const created = await accounts.createStaff({ ...body, password }, { by: await actor(request), oneTime: true });
        request.log.info({ staffId: created.id, role: created.role, by: request.user!.id }, 'staff account created');
        return reply.code(201).header('cache-control', 'no-store').send({ ...created, oneTimePassword: password });
      } catch (error) {
        throw accountProblem(error);
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
        response: { 200: StaffAccountSchema, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const { id } = request.params;
      // An admin locking themselves out could leave the unit with no admin at all.
      if (id === request.user!.id) {
        throw new Problem(409, 'conflict', { key: 'problem.cannot_disable_self' });
      }
      let updated: StaffAccount | null;
      try {
        updated = await accounts.setStaffActive(id, false, { by: await actor(request), keepAnAdmin: true });
      } catch (error) {
        throw accountProblem(error);
      }
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
        description: 'Refused (`display_name_taken`) when an active account now carries the same display name.',
        tags: ['admin'],
        params: IdParams,
        response: { 200: StaffAccountSchema, ...problemResponses(401, 403, 404, 422) },
      },
    },
    async (request) => {
      const { id } = request.params;
      let updated: StaffAccount | null;
      try {
        updated = await accounts.setStaffActive(id, true, { by: await actor(request) });
      } catch (error) {
        throw accountProblem(error);
      }
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
        summary: 'Give the account a new one-time password: every open session is revoked, and the password must be changed at the next sign-in',
        tags: ['admin'],
        params: IdParams,
        response: { 200: WithOneTimePasswordSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      // The admin chooses nothing: a password sent anyway is refused rather than silently ignored.
      const sent = request.body && typeof request.body === 'object' ? Object.keys(request.body) : [];
      if (sent.length > 0) throw problems.validation(sent.map((field) => ({ field, message: 'must not be sent: the server chooses the one-time password' })));
      if (!(await accounts.staffInfo(id))) throw staffNotFound();
      const password = oneTimePassword();
      const updated = await accounts.resetStaffPassword(id, password, { by: await actor(request), oneTime: true });
      if (!updated) throw staffNotFound();
      app.live.disconnectStaff(id);
      request.log.info({ staffId: id, by: request.user!.id }, 'staff password reset');
      return reply.header('cache-control', 'no-store').send({ ...updated, oneTimePassword: password });
    },
  );

  app.get(
    '/api/admin/audit',
    {
      preHandler: adminOnly,
      schema: {
        summary: 'Account administration audit, newest first (append-only)',
        tags: ['admin'],
        querystring: Type.Object(
          {
            before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: 'Only entries older than this seq (the previous page\'s `nextBefore`)' })),
            limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: `Entries per page, 1 to ${AUDIT_PAGE_MAX} (default 50)` })),
          },
          { additionalProperties: false },
        ),
        response: { 200: AuditPageSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const query = request.query;
      const limit = Math.min(Number(query.limit ?? 50), AUDIT_PAGE_MAX);
      // One more than asked tells whether an older page exists.
      const entries = await accounts.accountAudit({ before: query.before === undefined ? undefined : Number(query.before), limit: limit + 1 });
      const page = entries.slice(0, limit);
      return { entries: page, nextBefore: entries.length > limit ? page[page.length - 1]!.seq : null };
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
    async () => ({ tokens: await accounts.listDisplayTokens() }),
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
      const { token, info } = await accounts.createDisplayToken(request.body.name.trim(), new Date());
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
      const { id } = request.params;
      if (!(await accounts.findDisplayToken(id))) throw tokenNotFound();
      await accounts.revokeDisplayToken(id, new Date());
      // Also when it was already revoked: a socket must never outlive its token.
      app.live.disconnectDisplayToken(id);
      request.log.info({ displayTokenId: id, by: request.user!.id }, 'display token revoked');
      return (await accounts.findDisplayToken(id))!;
    },
  );
};

export default adminRoutes;
