import type { FastifyReply, FastifyRequest } from 'fastify';
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
  | 'request_timeout'
  | 'internal_error';

export type Translated = { fr: string; en: string };

export interface FieldError {
  field: string;
  message: string;
}

/** A refusal the client caused: thrown anywhere in a route, turned into problem+json by the error handler. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail: Translated,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail.en);
  }
}

const TITLES: Record<ProblemCode, Translated> = {
  validation_failed: { fr: 'Données invalides', en: 'Invalid data' },
  not_allowed_in_stage: { fr: 'Action impossible à cette étape', en: 'Not allowed at this stage' },
  rule_violated: { fr: 'Règle de sécurité non respectée', en: 'Safety rule not met' },
  version_conflict: { fr: 'Dossier modifié entre-temps', en: 'Case changed meanwhile' },
  forbidden: { fr: 'Action non autorisée pour votre rôle', en: 'Not allowed for your role' },
  unauthenticated: { fr: 'Connexion requise', en: 'Sign-in required' },
  not_found: { fr: 'Introuvable', en: 'Not found' },
  conflict: { fr: 'Conflit', en: 'Conflict' },
  idempotency_key_reused: { fr: 'Clé d’idempotence déjà utilisée', en: 'Idempotency key already used' },
  payload_too_large: { fr: 'Requête trop volumineuse', en: 'Request too large' },
  unsupported_media_type: { fr: 'Format non pris en charge', en: 'Unsupported format' },
  too_many_requests: { fr: 'Trop de tentatives', en: 'Too many attempts' },
  account_locked: { fr: 'Compte temporairement bloqué', en: 'Account temporarily locked' },
  password_change_required: { fr: 'Mot de passe à changer', en: 'Password change required' },
  misdirected_request: { fr: 'Adresse inconnue de ce serveur', en: 'Address unknown to this server' },
  server_busy: { fr: 'Serveur occupé', en: 'Server busy' },
  request_timeout: { fr: 'Requête trop lente', en: 'Request too slow' },
  internal_error: { fr: 'Erreur interne', en: 'Internal error' },
};

export function problemBody(problem: Problem, lang: Lang, instance?: string) {
  return {
    type: `about:blank`,
    status: problem.status,
    title: TITLES[problem.code][lang],
    detail: problem.detail[lang],
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
  notFound: (what: Translated = { fr: 'Cette ressource n’existe pas.', en: 'This resource does not exist.' }) =>
    new Problem(404, 'not_found', what),
  unauthenticated: () =>
    new Problem(401, 'unauthenticated', {
      fr: 'Votre session a expiré ou vous n’êtes pas connecté : reconnectez-vous.',
      en: 'Your session has expired or you are not signed in: please sign in again.',
    }),
  forbidden: () =>
    new Problem(403, 'forbidden', {
      fr: 'Votre rôle ne permet pas cette action.',
      en: 'Your role does not allow this action.',
    }),
  validation: (fields: FieldError[]) =>
    new Problem(
      400,
      'validation_failed',
      {
        fr: `Champ invalide : ${fields.map((f) => f.field || 'requête').join(', ')}.`,
        en: `Invalid field: ${fields.map((f) => f.field || 'request').join(', ')}.`,
      },
      { errors: fields },
    ),
};
