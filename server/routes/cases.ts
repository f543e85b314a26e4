import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { COMMAND_TYPES, PATIENT_DATA_READERS, canSend, commandSchemas, scheduleCaseBody, type CommandBody, type ScheduleCaseBody } from '../../shared';
import { dayOf } from '../cases/day';
import { executeCaseCommand, scheduleCase } from '../cases/execute';
import { problems } from '../http/problem';
import { idempotencyHeaders, problemResponses } from './schemas';

const CaseParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** Every command's body, told apart by `type`: the validator reports the fields of the command actually sent. */
const CommandBodySchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: COMMAND_TYPES.map((type) => commandSchemas[type]),
};

export default async function caseRoutes(app: FastifyInstance) {
  app.post(
    '/api/cases',
    {
      preHandler: app.requireUser(),
      schema: {
        summary: 'Schedule a case (coordinator)',
        tags: ['cases'],
        headers: idempotencyHeaders,
        body: scheduleCaseBody,
        response: problemResponses(400, 401, 403, 422),
      },
    },
    async (request, reply) => {
      if (!canSend(request.user!.role, 'schedule_case')) throw problems.forbidden();
      return app.runCommand(request, reply, (context) => scheduleCase(context, request.body as ScheduleCaseBody));
    },
  );

  // Cases carry patient identities: clinical staff and coordinators read them, admins never do.
  app.get(
    '/api/cases',
    {
      preHandler: app.requireUser(PATIENT_DATA_READERS),
      schema: {
        summary: "A day's cases, by scheduled time (today in the unit's time zone by default)",
        tags: ['cases'],
        querystring: Type.Object({ date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })) }),
        response: problemResponses(400, 401, 403),
      },
    },
    async (request) => {
      const day = (request.query as { date?: string }).date ?? dayOf(new Date(), app.config.timezone);
      return { date: day, cases: app.database.store.casesOfDay(day) };
    },
  );

  app.get(
    '/api/cases/:id',
    {
      preHandler: app.requireUser(PATIENT_DATA_READERS),
      schema: {
        summary: 'One case with its full timeline (who, what, when it was recorded, when it happened)',
        tags: ['cases'],
        params: CaseParams,
        response: problemResponses(401, 403, 404),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const state = app.database.store.loadCase(id);
      if (!state) throw problems.notFound({ fr: 'Ce dossier n’existe pas.', en: 'This case does not exist.' });
      const timeline = app.database.store.timeline(id).map((e) => ({ seq: e.seq, version: e.version, ...e.event }));
      return { case: state, timeline };
    },
  );

  app.post(
    '/api/cases/:id/commands',
    {
      preHandler: app.requireUser(),
      schema: {
        summary: 'Send a command to a case (see the command types; `expectedVersion` guards against stale screens)',
        tags: ['cases'],
        params: CaseParams,
        headers: idempotencyHeaders,
        body: CommandBodySchema,
        response: problemResponses(400, 401, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      const body = request.body as CommandBody;
      if (!canSend(request.user!.role, body.type)) throw problems.forbidden();
      const caseId = (request.params as { id: string }).id;
      return app.runCommand(request, reply, (context) => executeCaseCommand(context, caseId, body));
    },
  );
}
