import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { DayReportSchema, PATIENT_DATA_READERS, dayOf } from '../../shared';
import { inDay, utcWindow } from '../reports/dates';
import { dayReport } from '../reports/day-report';
import { checkDay } from '../reports/range';
import { problemResponses } from './schemas';

/** The day report reads one day through the store: it answers on SQLite and on PostgreSQL alike. */
const dayReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const zone = app.config.timezone;

  app.get(
    '/api/reports/day',
    {
      preHandler: app.requireUser(PATIENT_DATA_READERS),
      schema: {
        summary: "A day's report: time in each stage per case and averaged, rooms, cycles per target, complications, cancellations and delays",
        tags: ['reports'],
        // Loose on purpose: the handler checks the value and answers a translated problem naming the field.
        querystring: Type.Object({ date: Type.Optional(Type.String({ maxLength: 10 })) }, { additionalProperties: false }),
        response: { 200: DayReportSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const date = checkDay('date', request.query.date ?? dayOf(new Date(), zone));
      const window = utcWindow(date, date);
      const [cases, rooms, readies] = await Promise.all([app.store.casesOfDay(date), app.store.rooms(), app.store.roomReadies(window.start, window.end)]);
      return dayReport({ date, cases, rooms, roomReadies: readies.filter((r) => inDay(r.at, date, zone)), now: new Date().toISOString() });
    },
  );
};

export default dayReportRoutes;
