import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ROLES, UnitIdentityChangeSchema, UnitIdentityRecordSchema, UnitIdentitySchema } from '../../shared';
import { UNIT_IDENTITY_TRAIL_MAX } from '../unit/unit-identity';
import { problemResponses } from './schemas';

const UNIT_BODY_LIMIT = 4096;
const trimmed = <T extends Record<string, string>>(body: T): T => Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v.trim()])) as T;

/** The unit's identity printed for patients: every staff member reads it, only an admin changes it. */
const unitRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.get(
    '/api/unit',
    {
      preHandler: app.requireUser(ROLES),
      schema: {
        summary: 'The unit’s name, address, day and night phone numbers and referring radiologist, as the discharge sheet prints them',
        tags: ['unit'],
        response: { 200: UnitIdentityRecordSchema, ...problemResponses(401, 403) },
      },
    },
    async () => app.unit.identity(),
  );

  app.put(
    '/api/admin/unit',
    {
      preHandler: app.requireUser(['admin']),
      bodyLimit: UNIT_BODY_LIMIT,
      schema: {
        summary: 'Replace the unit’s identity; each save is kept in the trail with who made it',
        description: 'Every field is required; an empty string records that it is not known yet, and the sheet says so to staff.',
        tags: ['unit', 'admin'],
        body: UnitIdentitySchema,
        response: { 200: UnitIdentityRecordSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = request.user!;
      const by = { id: user.id, username: (await app.accounts.staffInfo(user.id))?.username ?? user.id };
      const saved = await app.unit.saveIdentity(trimmed(request.body), by, new Date());
      request.log.info({ by: user.id }, 'unit identity changed');
      return saved;
    },
  );

  app.get(
    '/api/admin/unit/history',
    {
      preHandler: app.requireUser(['admin']),
      schema: {
        summary: `The last ${UNIT_IDENTITY_TRAIL_MAX} saves of the unit’s identity, newest first (append-only)`,
        tags: ['unit', 'admin'],
        response: { 200: Type.Object({ changes: Type.Array(UnitIdentityChangeSchema) }), ...problemResponses(401, 403) },
      },
    },
    async () => ({ changes: await app.unit.identityTrail() }),
  );
};

export default unitRoutes;
