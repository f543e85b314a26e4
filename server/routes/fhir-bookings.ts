import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { BOOKING_SENDERS, ruleText, t, type Lang, type RuleName, type RuleParams } from '../../shared';
import { pickLanguage } from '../http/language';
import { postedAppointment } from '../interfaces/fhir-appointment';
import { applyStored, receive } from '../interfaces/inbox';
import { CRYODAY_SYSTEM } from '../reports/fhir';

/** A transaction Bundle of one Appointment and its Patient is a few kilobytes; this leaves room for long names and notes. */
const FHIR_BODY_LIMIT = 256 * 1024;
const RULE_SYSTEM = `${CRYODAY_SYSTEM}:rule`;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

type IssueCode = 'forbidden' | 'invalid' | 'not-supported' | 'business-rule' | 'exception';

/** An error as FHIR says it: the machine's rule as a code, its reason in the request's language. */
function operationOutcome(code: IssueCode, text: string, rule?: string) {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, details: { ...(rule ? { coding: [{ system: RULE_SYSTEM, code: rule }] } : {}), text }, ...(rule ? { diagnostics: rule } : {}) }],
  };
}

const send = (reply: FastifyReply, lang: Lang, status: number, body: unknown) =>
  reply.code(status).header('content-language', lang).type(FHIR_JSON).send(JSON.stringify(body));

/**
 * FHIR R4 bookings: `POST /api/fhir/Appointment` (an Appointment, its Patient contained) and
 * `POST /api/fhir` (a transaction Bundle: the Appointment and its Patient). Every post is stored in
 * the interfaces' inbox first (channel `fhir`), then applied through the command path under
 * "Interface FHIR"; the answer says what became of it. Only the coordinator and the interface
 * engine's own account may post.
 */
const fhirBookingRoutes: FastifyPluginAsync = async (app) => {
  // FHIR clients send application/fhir+json; the text is kept as received, so it is parsed here and not by Fastify.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/fhir+json', 'application/json'], { parseAs: 'string', bodyLimit: FHIR_BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );

  const post = (expected: 'Appointment' | 'Bundle') => async (request: FastifyRequest, reply: FastifyReply) => {
    const lang = pickLanguage(request.headers['accept-language']);
    const user = request.user!;
    if (!BOOKING_SENDERS.includes(user.role)) return send(reply, lang, 403, operationOutcome('forbidden', t(lang, 'problem.role_forbidden')));
    const raw = typeof request.body === 'string' ? request.body : '';
    let resourceType = '';
    try {
      resourceType = String((JSON.parse(raw) as { resourceType?: unknown })?.resourceType ?? '');
    } catch {
      resourceType = '';
    }
    // A resource posted to the other endpoint is refused before it is stored: it is a wrong address, not a booking.
    if (resourceType && resourceType !== expected)
      return send(reply, lang, 400, operationOutcome('not-supported', ruleText(lang, 'message_type_unsupported', { type: `${resourceType} → ${request.url}` }), 'message_type_unsupported'));
    const deps = app.interfaces;
    const key = request.headers['idempotency-key'];
    const stored = await receive(deps, {
      channel: 'fhir',
      sender: (await app.accounts.staffInfo(user.id))?.username ?? user.id,
      // A retried post with the same key is the same message; without one, every post is new (an
      // update that repeats a booking is found to change nothing, and answered so).
      messageId: typeof key === 'string' && key.length <= 128 ? key : randomUUID(),
      raw,
      charset: 'utf-8',
      messageType: resourceType || 'unreadable',
    });
    const applied = await applyStored(deps, stored.id);
    if (!applied) return send(reply, lang, 500, operationOutcome('exception', t(lang, 'problem.internal_error')));
    if (applied.status === 'refused' || applied.status === 'rejected') {
      const rule = applied.rule as RuleName;
      const text = ruleText(lang, rule, (applied.params ?? {}) as RuleParams);
      const code: IssueCode = applied.status === 'refused' ? 'business-rule' : rule === 'message_type_unsupported' ? 'not-supported' : 'invalid';
      return send(reply, lang, applied.status === 'refused' ? 422 : 400, operationOutcome(code, text, rule));
    }
    const caseId = applied.caseId!;
    const created = applied.status === 'applied' && (await app.store.loadCase(caseId))?.version === 1;
    const status = created ? 201 : 200;
    const posted = postedAppointment(JSON.parse(raw));
    const appointment = posted.ok ? { ...posted.appointment, id: caseId } : { resourceType: 'Appointment', id: caseId };
    reply.header('location', `/api/fhir/Appointment/${caseId}`);
    if (expected === 'Appointment') return send(reply, lang, status, appointment);
    const entries = (JSON.parse(raw) as { entry?: { resource?: { resourceType?: string } }[] }).entry ?? [];
    return send(reply, lang, 200, {
      resourceType: 'Bundle',
      type: 'transaction-response',
      entry: entries.map((e) =>
        e.resource?.resourceType === 'Appointment'
          ? { response: { status: created ? '201 Created' : '200 OK', location: `Appointment/${caseId}` } }
          : { response: { status: '200 OK' } },
      ),
    });
  };

  const schema = (summary: string) => ({ summary, tags: ['interfaces'] });
  app.post(
    '/api/fhir/Appointment',
    { preHandler: app.requireUser(), schema: schema('FHIR R4 Appointment (Patient contained): creates the case or updates it by the Appointment identifier; status cancelled cancels it (coordinator or interface account)') },
    post('Appointment'),
  );
  app.post(
    '/api/fhir',
    { preHandler: app.requireUser(), schema: schema('FHIR R4 transaction Bundle of one Appointment and its Patient, applied as the Appointment route does') },
    post('Bundle'),
  );
};

export default fhirBookingRoutes;
