import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { RECALL_SEARCHERS, RecallAnswerSchema } from '../../shared';
import { pickLanguage } from '../http/language';
import { Problem } from '../http/problem';
import { PgRecallQueries, RecallQueries, recallCsv, type RecallSearcher } from '../devices/recall';
import { CSV_CONTENT_TYPE } from '../reports/csv';
import { problemResponses } from './schemas';

const RecallQuery = Type.Object(
  {
    lot: Type.Optional(Type.String({ maxLength: 20 })),
    gtin: Type.Optional(Type.String({ maxLength: 14 })),
    format: Type.Optional(Type.Literal('csv')),
    lang: Type.Optional(Type.Union([Type.Literal('fr'), Type.Literal('en')])),
  },
  { additionalProperties: false },
);

const wantsCsv = (accept: string | undefined, format: string | undefined) => format === 'csv' || /\btext\/csv\b/.test(accept ?? '');

const deviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // SQLite's statements are prepared at the first search, once the connection's migrations have run.
  let prepared: RecallSearcher | undefined;
  const recalls = () => (prepared ??= app.postgres ? new PgRecallQueries(app.postgres.pool) : new RecallQueries(app.database.sqlite));

  app.get(
    '/api/devices/cases',
    {
      preHandler: app.requireUser(RECALL_SEARCHERS),
      schema: {
        summary: 'Recall search: every case, day and patient that received a device lot or GTIN (JSON, or CSV with Accept: text/csv or ?format=csv)',
        tags: ['devices'],
        querystring: RecallQuery,
        // JSON as below; with Accept: text/csv or ?format=csv, the same rows as CSV.
        response: { 200: Type.Union([RecallAnswerSchema, Type.String({ description: 'text/csv; charset=utf-8' })]), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { lot, gtin, format, lang } = request.query;
      if (!lot?.trim() && !gtin?.trim()) {
        throw new Problem(
          400,
          'validation_failed',
          { key: 'problem.recall_needs_lot_or_gtin' },
          { errors: [{ field: 'lot', message: 'Give a lot, a GTIN, or both.' }] },
        );
      }
      const hits = await recalls().search({ lot, gtin });
      if (wantsCsv(request.headers.accept, format)) {
        const language = lang ?? pickLanguage(request.headers['accept-language']);
        const name = [gtin?.trim(), lot?.trim()].filter(Boolean).join('_').replace(/[^A-Za-z0-9_-]/g, '-');
        return reply
          .type(CSV_CONTENT_TYPE)
          .header('content-disposition', `attachment; filename="cryoday-recall-${name}.csv"`)
          .send(recallCsv(hits, app.config.timezone, language));
      }
      return { lot: lot?.trim() || null, gtin: gtin?.trim() || null, cases: hits };
    },
  );
};

export default deviceRoutes;
