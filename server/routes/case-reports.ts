import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { PATIENT_DATA_READERS, ProcedureReportSchema, draftReport, reportOf, reportText } from '../../shared';
import { pickLanguage } from '../http/language';
import { problems } from '../http/problem';
import { caseBundle } from '../reports/fhir';
import { problemResponses } from './schemas';

// Sent as serialised here (the bundle builder owns its shape): the schema only tells the document what comes back.
const FhirBundleSchema = Type.String({ description: 'application/fhir+json: a FHIR R4 Bundle of type collection' });

/** One case's procedure report and FHIR bundle, read through the store: on SQLite and PostgreSQL alike. */
const caseReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/cases/:id/report',
    {
      preHandler: app.requireUser(PATIENT_DATA_READERS),
      schema: {
        summary: 'The procedure report drafted from the log (French unless ?lang=en), the conclusion, and every signed version with its frozen text',
        tags: ['reports'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: Type.Object({ lang: Type.Optional(Type.Union([Type.Literal('fr'), Type.Literal('en')])) }, { additionalProperties: false }),
        response: { 200: ProcedureReportSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const state = await app.store.loadCase(request.params.id);
      if (!state) throw problems.notFound({ key: 'problem.case_not_found' });
      const lang = request.query.lang ?? 'fr';
      const draft = draftReport(state, lang);
      const report = reportOf(state);
      const signed = report.signatures.at(-1) ?? null;
      const text = reportText(draft);
      return {
        caseId: state.id,
        version: state.version,
        stage: state.stage,
        lang,
        draft,
        text,
        conclusion: report.conclusion,
        signed,
        changedSinceSigned: signed !== null && signed.text !== reportText(draftReport(state, signed.lang)),
        signatures: report.signatures,
      };
    },
  );

  app.get(
    '/api/cases/:id/fhir',
    {
      preHandler: app.requireUser(PATIENT_DATA_READERS),
      schema: {
        summary: 'One case as a FHIR R4 Bundle (collection): Patient, Encounter, Procedure with one child per freeze cycle, vital-sign Observations',
        tags: ['reports'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: FhirBundleSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const state = await app.store.loadCase(id);
      if (!state) throw problems.notFound({ key: 'problem.case_not_found' });
      const rooms = new Map((await app.store.rooms()).map((r) => [r.id, r.name]));
      const bundle = caseBundle(state, { lang: pickLanguage(request.headers['accept-language']), rooms, now: new Date().toISOString() });
      return reply.type('application/fhir+json; charset=utf-8').send(JSON.stringify(bundle));
    },
  );
};

export default caseReportRoutes;
