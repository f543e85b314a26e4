import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import {
  DoseReportSchema,
  PATIENT_DATA_READERS,
  RANGE_REPORT_READERS,
  RangeReportSchema,
  type Lang,
} from '../../shared';
import { pickLanguage } from '../http/language';
import { CSV_CONTENT_TYPE } from '../reports/csv';
import { checkGroupBy, checkRange } from '../reports/range';
import { rangeCsv } from '../reports/range-csv';
import { parseJson } from '../workers/pool';
import { problemResponses } from './schemas';

/** Who reads reports: the clinical team and the coordinator. Admins manage accounts, never patient data. */

// Loose on purpose: the handler checks the value and answers a translated problem naming the field.
const Day = Type.String({ maxLength: 10 });
// lang picks the language of the label columns (the codes are the same in both); without it, Accept-Language.
const RangeQuery = Type.Object(
  { from: Day, to: Day, lang: Type.Optional(Type.Union([Type.Literal('fr'), Type.Literal('en')])) },
  { additionalProperties: false },
);
const PeriodQuery = Type.Object(
  { ...RangeQuery.properties, groupBy: Type.Optional(Type.String({ maxLength: 10, description: 'day, week (ISO) or month (the default)' })) },
  { additionalProperties: false },
);
const Csv = Type.String({ description: 'text/csv; charset=utf-8' });

const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const zone = app.config.timezone;
  // A worker thread reads the range with a connection of its own: SQLite's file read-only, or on
  // PostgreSQL a small pool of its own, page by page (server/reports/pg-reports.ts). Either way the
  // answer is the same bytes, and as many run at once as the pool allows.

  app.get(
    '/api/reports/doses',
    {
      preHandler: app.requireUser(PATIENT_DATA_READERS),
      schema: {
        summary: 'Radiation dose of each CT or cone-beam CT guided act of a date range, and per month the median and 75th percentile of each figure',
        tags: ['reports'],
        querystring: RangeQuery,
        response: { 200: DoseReportSchema, ...problemResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      const { from, to } = request.query;
      checkRange(from, to);
      return sendJsonText(reply, await app.reportPool.answer('doseReport', { from, to }));
    },
  );

  // Both answers read the same figures: the range as asked, checked once.
  // In a worker: a year of cases is read off the event loop.
  const periodArgs = (query: { from: string; to: string; groupBy?: string }) => {
    const { from, to } = checkRange(query.from, query.to);
    return { from, to, groupBy: checkGroupBy(query.groupBy), timeZone: zone, now: new Date().toISOString() };
  };

  app.get(
    '/api/reports/range',
    {
      preHandler: app.requireUser(RANGE_REPORT_READERS),
      schema: {
        summary:
          'Activity and outcomes of a date range, per day, ISO week or month and for the whole range: acts, cancellations, transfers, targets and cycles, stage times, turnover, punctuality, complications, sedation, pain by indication (docs/reports.md)',
        tags: ['reports'],
        querystring: PeriodQuery,
        response: { 200: RangeReportSchema, ...problemResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      const args = periodArgs(request.query);
      return sendJsonText(reply, await app.reportPool.answer('rangeReport', args));
    },
  );

  app.get(
    '/api/reports/range.csv',
    {
      preHandler: app.requireUser(RANGE_REPORT_READERS),
      schema: {
        summary: 'The range report as CSV: one row per period and figure, the whole range last as `total` (same format as cases.csv)',
        tags: ['reports'],
        querystring: PeriodQuery,
        response: { 200: Csv, ...problemResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      const args = periodArgs(request.query);
      const report = parseJson(await app.reportPool.answer('rangeReport', args));
      const language = request.query.lang ?? pickLanguage(request.headers['accept-language']);
      return sendCsv(reply, 'range', report.from, report.to, rangeCsv(report, language));
    },
  );

  // The worker's JSON text as it is: a JSON content type makes Fastify send a string without serialising it.
  const sendJsonText = (reply: FastifyReply, json: string) => reply.type('application/json; charset=utf-8').send(json);

  const sendCsv = (reply: FastifyReply, name: string, from: string, to: string, body: string) =>
    reply
      .type(CSV_CONTENT_TYPE)
      .header('content-disposition', `attachment; filename="cryoday-${name}-${from}_${to}.csv"`)
      .send(body);

  // Streamed from a worker as it reads the range, one chunk of rows at a time: the bytes are those
  // casesCsv/cyclesCsv would return whole. The status is sent only once the first rows have come,
  // so a worker that fails before them still answers a problem.
  const streamCsv = async (reply: FastifyReply, name: 'cases' | 'freeze-cycles', query: { from: string; to: string; lang?: Lang | undefined }, language: Lang) => {
    const { from, to } = query;
    const args = { from, to, timeZone: zone, lang: language };
    const body = await app.reportPool.stream(name === 'cases' ? 'casesCsv' : 'cyclesCsv', args);
    return reply
      .type(CSV_CONTENT_TYPE)
      .header('content-disposition', `attachment; filename="cryoday-${name}-${from}_${to}.csv"`)
      .send(body);
  };

  app.get(
    '/api/reports/cases.csv',
    {
      preHandler: app.requireUser(PATIENT_DATA_READERS),
      schema: {
        summary: 'Cases of a date range as CSV (`;`-separated, UTF-8 with BOM, decimal comma; at most 366 days)',
        tags: ['reports'],
        querystring: RangeQuery,
        response: { 200: Csv, ...problemResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      const { from, to, lang } = request.query;
      checkRange(from, to);
      return streamCsv(reply, 'cases', request.query, lang ?? pickLanguage(request.headers['accept-language']));
    },
  );

  app.get(
    '/api/reports/freeze-cycles.csv',
    {
      preHandler: app.requireUser(PATIENT_DATA_READERS),
      schema: {
        summary: 'Freeze–thaw cycles of a date range as CSV (same format as cases.csv)',
        tags: ['reports'],
        querystring: RangeQuery,
        response: { 200: Csv, ...problemResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      const { from, to, lang } = request.query;
      checkRange(from, to);
      return streamCsv(reply, 'freeze-cycles', request.query, lang ?? pickLanguage(request.headers['accept-language']));
    },
  );
};

export default reportRoutes;
