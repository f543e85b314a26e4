import { buildSerializer, buildValidator } from './http/schema-compilers';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Config, TrustProxy } from './config';
import { answerClientError } from './http/client-errors';
import { Problem, sendProblem } from './http/problem';
import authPlugin from './plugins/auth';
import commandsPlugin from './plugins/commands';
import configPlugin from './plugins/config';
import databasePlugin from './plugins/database';
import demoPlugin from './plugins/demo';
import errorsPlugin from './plugins/errors';
import hostsPlugin from './plugins/hosts';
import interfacesPlugin from './plugins/interfaces';
import livePlugin from './plugins/live';
import openapiPlugin from './plugins/openapi';
import roomsPlugin from './plugins/rooms';
import securityPlugin from './plugins/security';
import settingsPlugin from './plugins/settings';
import staticSitePlugin from './plugins/static-site';
import workersPlugin from './plugins/workers';
import adminRoutes from './routes/admin';
import authRoutes from './routes/auth';
import passwordRoutes from './routes/password';
import caseRoutes from './routes/cases';
import scheduleImportRoutes from './routes/schedule-import';
import fhirBookingRoutes from './routes/fhir-bookings';
import interfaceMessageRoutes from './routes/interface-messages';
import followUpRoutes from './routes/follow-up';
import healthRoutes from './routes/health';
import reportRoutes from './routes/reports';
import dayReportRoutes from './routes/day-report';
import caseReportRoutes from './routes/case-reports';
import deviceRoutes from './routes/devices';
import equipmentRoutes from './routes/equipment';
import roomRoutes from './routes/rooms';
import unitRoutes from './routes/unit';

/** Largest accepted request body: a command is a few hundred bytes, a whole day's schedule a few kB. */
export const BODY_LIMIT = 64 * 1024;

export interface BuildOptions {
  logger?: boolean;
  /** Where log lines go (stdout by default): tests read the log to check what it says, and what it never says. */
  logStream?: { write(line: string): void };
}

/** Query parameters whose values never reach the log: a wall screen's display token, and any password. */
const SECRET_QUERY_KEYS = new Set(['token', 'password']);

function queryKey(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).trim().toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/**
 * The request URL as the log may keep it: `?token=…` (/board, /api/live) and `password` values are
 * replaced, whatever their spelling (`%74oken`, `Token`), so a copy of the log opens no wall screen.
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      return SECRET_QUERY_KEYS.has(queryKey(key)) ? `${key}=[REDACTED]` : pair;
    })
    .join('&');
  return `${url.slice(0, at)}?${query}`;
}

/** Fastify's default request serializer, minus the secrets a URL can carry. */
const requestSerializer = (request: FastifyRequest) => ({
  method: request.method,
  url: redactUrl(request.url),
  host: request.host,
  remoteAddress: request.ip,
  remotePort: request.socket?.remotePort,
});

/**
 * Fastify's own hop count trusts nobody (it cannot vouch for the direct peer), so a count is given as
 * proxy-addr's hop function: the nearest `hops` peers are proxies, the address before them is the client.
 */
const trustProxyOption = (trust: TrustProxy) => (typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust);

/** Builds the whole application without listening, so tests can inject or bind port 0. */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: config.logLevel,
            // `path` too: @fastify/websocket logs the raw URL of an upgrade sent to a route without a socket.
            serializers: { req: requestSerializer, path: (path: unknown) => (typeof path === 'string' ? redactUrl(path) : path) },
            ...(opts.logStream ? { stream: opts.logStream } : {}),
          },
    bodyLimit: BODY_LIMIT,
    trustProxy: trustProxyOption(config.trustProxy),
    // Slow-body and slow-header attacks: a request must arrive whole within requestTimeout (Node checks
    // open requests every connectionsCheckingInterval), and a socket silent for connectionTimeout is
    // closed. Neither touches a response being sent nor a live socket (ws clears the socket's timeout).
    requestTimeout: config.httpRequestTimeoutMs,
    connectionTimeout: config.httpIdleTimeoutMs,
    http: {
      headersTimeout: Math.min(60_000, config.httpRequestTimeoutMs),
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.round(config.httpRequestTimeoutMs / 4))),
    },
    clientErrorHandler: answerClientError,
    // A body that tries to smuggle __proto__ or constructor.prototype is refused, not silently cleaned.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // discriminator: a command body is validated against its own type's schema, so errors name its fields.
    // Router-level refusals (an over-long or malformed path segment) answer like every other error.
    frameworkErrors: (error, request, reply) =>
      sendProblem(
        request,
        reply,
        new Problem(error.statusCode ?? 400, 'validation_failed', { key: 'problem.invalid_address' }),
      ),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false, discriminator: true } },
    schemaController: { compilersFactory: { buildValidator, buildSerializer } },
  });
  // Commands are JSON only: a text/plain body gets a clear 415 instead of a confusing type error.
  app.removeContentTypeParser('text/plain');
  await app.register(configPlugin, { config });
  await app.register(errorsPlugin);
  await app.register(hostsPlugin);
  await app.register(securityPlugin);
  await app.register(settingsPlugin);
  await app.register(databasePlugin);
  await app.register(workersPlugin);
  await app.register(roomsPlugin);
  await app.register(authPlugin);
  await app.register(openapiPlugin);
  await app.register(livePlugin);
  await app.register(commandsPlugin);
  await app.register(interfacesPlugin);
  await app.register(demoPlugin);
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(passwordRoutes);
  await app.register(caseRoutes);
  await app.register(scheduleImportRoutes);
  await app.register(roomRoutes);
  await app.register(dayReportRoutes);
  await app.register(caseReportRoutes);
  await app.register(followUpRoutes);
  await app.register(deviceRoutes);
  await app.register(adminRoutes);
  await app.register(equipmentRoutes);
  await app.register(unitRoutes);
  await app.register(reportRoutes);
  await app.register(fhirBookingRoutes);
  await app.register(interfaceMessageRoutes);
  await app.register(staticSitePlugin);
  return app;
}
