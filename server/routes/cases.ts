import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  COMMAND_TYPES,
  CaseListSchema,
  CaseWithTimelineSchema,
  CommandAnswerSchema,
  PATIENT_DATA_READERS,
  canSend,
  commandSchemas,
  dayOf,
  scheduleCaseBody,
  type CommandBody,
} from '../../shared';
import { executeCaseCommand, scheduleCase } from '../cases/execute';
import { problems } from '../http/problem';
import { idempotencyHeaders, problemResponses } from './schemas';

const CaseParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** Every command's body, told apart by `type`: the validator reports the fields of the command actually sent. */
const CommandBodySchema = Type.Unsafe<CommandBody>({
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: COMMAND_TYPES.map((type) => commandSchemas[type]),
});

const caseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/cases',
    {
      preHandler: app.requireUser(),
      schema: {
        summary: 'Schedule a case (coordinator)',
        tags: ['cases'],
        headers: idempotencyHeaders,
        body: scheduleCaseBody,
        response: { 201: CommandAnswerSchema, ...problemResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      if (!canSend(request.user!.role, 'schedule_case')) throw problems.forbidden();
      return app.runCommand(request, reply, (context) => scheduleCase(context, request.body));
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
        response: { 200: CaseListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const day = request.query.date ?? dayOf(new Date(), app.config.timezone);
      return { date: day, cases: await app.store.casesOfDay(day) };
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
        response: { 200: CaseWithTimelineSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const state = await app.store.loadCase(id);
      if (!state) throw problems.notFound({ key: 'problem.case_not_found' });
      // A case's stream holds only its own events, each with the version it made.
      const timeline = (await app.store.timeline(id)).flatMap(({ seq, version, event }) => (event.type === 'RoomReady' || version === null ? [] : [{ seq, version, ...event }]));
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
        response: { 200: CommandAnswerSchema, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (!canSend(request.user!.role, body.type)) throw problems.forbidden();
      const caseId = request.params.id;
      return app.runCommand(request, reply, (context) => executeCaseCommand(context, caseId, body));
    },
  );
};

export default caseRoutes;
