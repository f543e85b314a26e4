import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { FollowUpListSchema, PATIENT_DATA_READERS, addDays, dayOf } from '../../shared';
import { followUpList } from '../reports/follow-up';
import { checkRange } from '../reports/range';
import { problemResponses } from './schemas';

/** By default the list reaches back far enough to hold every 3-month call still due or overdue. */
export const DEFAULT_FOLLOW_UP_DAYS = 120;

const followUpRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const zone = app.config.timezone;

  app.get(
    '/api/follow-up',
    {
      preHandler: app.requireUser(PATIENT_DATA_READERS),
      schema: {
        summary:
          'Discharged patients of a date range with their pain scores by moment and the follow-up calls due (J+1, 1 month, 3 months). Record a call with the record_pain_score command.',
        tags: ['reports'],
        querystring: Type.Object(
          { from: Type.Optional(Type.String({ maxLength: 10 })), to: Type.Optional(Type.String({ maxLength: 10 })) },
          { additionalProperties: false },
        ),
        response: { 200: FollowUpListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const today = dayOf(new Date(), zone);
      const query = request.query;
      const { from, to } = checkRange(query.from ?? addDays(today, -DEFAULT_FOLLOW_UP_DAYS), query.to ?? today);
      return { from, to, ...followUpList(await app.store.dischargedInRange(from, to), today, zone) };
    },
  );
};

export default followUpRoutes;
