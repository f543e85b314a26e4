import Type from 'typebox';

/** RFC 9457 problem details as this API sends them. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    status: Type.Integer(),
    title: Type.String(),
    detail: Type.String(),
    code: Type.String(),
    instance: Type.Optional(Type.String()),
    rule: Type.Optional(Type.String()),
    currentVersion: Type.Optional(Type.Integer()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, description: 'application/problem+json (RFC 9457); `detail` in the request language' },
);

/** Documents the problem answers a route can give (the error handler produces them). */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, { ...ProblemSchema, description: `problem+json (${s})` }]));
}

export const idempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$', description: 'Replaying a key returns the first answer and applies nothing twice' }),
  ),
});
