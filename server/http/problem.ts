import type { FastifyReply, FastifyRequest } from 'fastify';
import { t, translate, type Message } from '../../shared';
import { pickLanguage, type Lang } from './language';

/** Stable machine codes of the public contract (DESIGN.md), plus the few HTTP-level ones. */
export type ProblemCode =
  | 'validation_failed'
  | 'not_allowed_in_stage'
  | 'rule_violated'
  | 'version_conflict'
  | 'forbidden'
  | 'unauthenticated'
  | 'not_found'
  | 'conflict'
  | 'idempotency_key_reused'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'account_locked'
  | 'password_change_required'
  | 'misdirected_request'
  | 'server_busy'
  | 'report_interrupted'
  | 'request_timeout'
  | 'not_on_postgresql'
  | 'database_unavailable'
  | 'internal_error';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * A refusal the client caused: thrown anywhere in a route, turned into problem+json by the error
 * handler. It carries what to say (a label or a rule, with parameters), said in the request's
 * language only when the response is written.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail: Message,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(translate('en', detail));
  }
}

export function problemBody(problem: Problem, lang: Lang, instance?: string) {
  return {
    type: `about:blank`,
    status: problem.status,
    title: t(lang, `problem_title.${problem.code}`),
    detail: translate(lang, problem.detail),
    code: problem.code,
    ...(instance ? { instance } : {}),
    ...problem.extra,
  };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  const lang = pickLanguage(request.headers['accept-language']);
  return reply
    .code(problem.status)
    .header('content-language', lang)
    .type('application/problem+json; charset=utf-8')
    .send(problemBody(problem, lang, request.url.split('?')[0]));
}

export const problems = {
  notFound: (what: Message = { key: 'problem.resource_not_found' }) => new Problem(404, 'not_found', what),
  unauthenticated: () => new Problem(401, 'unauthenticated', { key: 'problem.session_expired' }),
  forbidden: () => new Problem(403, 'forbidden', { key: 'problem.role_forbidden' }),
  validation: (fields: FieldError[]) => {
    const named = fields.map((f) => f.field).filter(Boolean);
    // A refusal of the whole body (not of one property) names the request itself.
    const detail: Message = named.length === fields.length ? { key: 'problem.invalid_fields', params: { fields: named.join(', ') } } : { key: 'problem.invalid_whole_request' };
    return new Problem(400, 'validation_failed', detail, { errors: fields });
  },
};
