import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ScheduleImportAnswerSchema, ScheduleImportBodySchema, canSend, MAX_IMPORT_TEXT, type ScheduleImportAnswer } from '../../shared';
import { pickLanguage } from '../http/language';
import { problems } from '../http/problem';
import { importSchedule } from '../interfaces/csv-import';
import { idempotencyHeaders, problemResponses } from './schemas';

/**
 * A coordinator's schedule file. The server reads it, not the screen: only here are the patients
 * already on file (an MRN naming someone else) and the rooms known, and the preview and the import
 * must judge each line the same way, with schedule_case's own rules.
 */
const scheduleImportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/schedule/import',
    {
      preHandler: app.requireUser(),
      // The text of the file plus its JSON quoting.
      bodyLimit: MAX_IMPORT_TEXT * 2 + 1024,
      schema: {
        summary: 'Read a schedule file (CSV): preview every line with its problems, or import the valid lines in one go (coordinator)',
        tags: ['cases'],
        headers: idempotencyHeaders,
        body: ScheduleImportBodySchema,
        response: { 200: ScheduleImportAnswerSchema, ...problemResponses(400, 401, 403, 413) },
      },
    },
    async (request, reply) => {
      if (!canSend(request.user!.role, 'schedule_case')) throw problems.forbidden();
      const lang = pickLanguage(request.headers['accept-language']);
      if (request.body.mode === 'preview') {
        // A preview writes nothing: it reads the rooms and the known patients in a group's transaction like an import.
        const context = { settings: app.settings, labelMode: app.config.boardLabel, actor: request.user!, now: new Date() };
        return (await app.groupCommit.run((tx) => importSchedule({ ...context, tx }, request.body, lang))).body as ScheduleImportAnswer;
      }
      await app.runCommand(request, reply, (context) => importSchedule(context, request.body, lang));
      return reply;
    },
  );
};

export default scheduleImportRoutes;
