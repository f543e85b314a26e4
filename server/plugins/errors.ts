import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { databaseUnavailable, isDatabaseUnavailable } from '../http/database-unavailable';
import { Problem, problems, sendProblem, type FieldError } from '../http/problem';

/** Fastify's own client-error codes, answered as the contract's problem types instead of its default JSON. */
function fromFastifyError(error: FastifyError): Problem | null {
  if (error.validation) {
    const fields: FieldError[] = error.validation.map((v) => {
      const params = v.params as { missingProperty?: string; additionalProperty?: string; tag?: string } | undefined;
      const missing = params?.missingProperty;
      // An unknown command type fails the discriminator on its tag: name the field.
      const extra = params?.additionalProperty ?? (v.keyword === 'discriminator' ? params?.tag : undefined);
      const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      return { field: [path, missing ?? extra].filter(Boolean).join('.'), message: v.message ?? 'invalid' };
    });
    return problems.validation(fields);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem(413, 'payload_too_large', { key: 'problem.payload_too_large' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem(415, 'unsupported_media_type', { key: 'problem.unsupported_media_type' });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new Problem(400, 'validation_failed', { key: 'problem.invalid_json' });
    // PostgreSQL's text holds no NUL character (SQLite's does): a value carrying one, an id in the
    // path as much as a field, is bad input there, refused by the database before anything is stored.
    case '22021':
      return new Problem(400, 'validation_failed', { key: 'problem.invalid_request' });
  }
  if (error.statusCode === 429) {
    return new Problem(429, 'too_many_requests', { key: 'problem.too_many_requests' });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new Problem(error.statusCode, 'validation_failed', { key: 'problem.invalid_request' });
  }
  return null;
}

export default fp(
  async function errors(app: FastifyInstance) {
    // On PostgreSQL the database is another machine that can be stopped, restarted or cut off: the
    // request that needed it is told to come back, and the pool reconnects for the next one.
    const onPostgres = app.config.databaseUrl !== null;
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const problem =
        error instanceof Problem ? error : onPostgres && isDatabaseUnavailable(error) ? databaseUnavailable() : fromFastifyError(error);
      if (problem) {
        // A refusal that says when to come back says it in the header too, where clients and proxies look.
        const retry = problem.extra.retryAfterSeconds;
        if (typeof retry === 'number' && !reply.hasHeader('retry-after')) reply.header('retry-after', retry);
        return sendProblem(request, reply, problem);
      }
      request.log.error({ err: error }, 'unhandled error');
      return sendProblem(
        request,
        reply,
        new Problem(500, 'internal_error', { key: 'problem.internal_error' }),
      );
    });
  },
  { name: 'errors', dependencies: ['config'] },
);
