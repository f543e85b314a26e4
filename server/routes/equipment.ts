import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { EquipmentRecordSchema, EquipmentSchema, ROLES } from '../../shared';
import { Problem } from '../http/problem';
import { problemResponses } from './schemas';

const BodySchema = Type.Object({ machines: Type.Array(EquipmentSchema, { maxItems: 24 }) }, { additionalProperties: false });

/** The rooms' imaging machines: every staff member reads them (the dose form offers them), only an admin changes them. */
const equipmentRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.get(
    '/api/unit/equipment',
    {
      preHandler: app.requireUser(ROLES),
      schema: {
        summary: 'The CT scanners and cone-beam CT arms of the unit’s rooms, as the dose of a guided act names them',
        tags: ['unit'],
        response: { 200: EquipmentRecordSchema, ...problemResponses(401, 403) },
      },
    },
    async () => app.unit.equipment(),
  );

  app.put(
    '/api/admin/unit/equipment',
    {
      preHandler: app.requireUser(['admin']),
      bodyLimit: 8192,
      schema: {
        summary: 'Replace the list of the rooms’ imaging machines; each save is kept with who made it',
        tags: ['unit', 'admin'],
        body: BodySchema,
        response: { 200: EquipmentRecordSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const machines = request.body.machines.map((m) => ({ ...m, name: m.name.trim() }));
      const names = machines.map((m) => m.name.toLocaleLowerCase('fr'));
      if (new Set(names).size !== names.length)
        throw new Problem(
          400,
          'validation_failed',
          { key: 'problem.equipment_duplicate_name' },
          { errors: [{ field: 'name', message: 'Two machines have the same name.' }] },
        );
      const user = request.user!;
      const by = { id: user.id, username: (await app.accounts.staffInfo(user.id))?.username ?? user.id };
      request.log.info({ by: user.id }, 'unit equipment changed');
      return app.unit.saveEquipment(machines, by, new Date());
    },
  );
};

export default equipmentRoutes;
