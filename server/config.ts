import { isIP } from 'node:net';
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';

/** Environment variables the server reads, with their defaults. README's configuration table mirrors this. */
const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATABASE_PATH: Type.String({ minLength: 1, default: './data/cryoday.sqlite' }),
  // PostgreSQL for several instances (docs/architecture.md, "PostgreSQL: the second store"); SQLite when empty.
  DATABASE_URL: Type.String({ maxLength: 2000, default: '' }),
  CRYODAY_DEMO: Type.Boolean({ default: false }),
  UNIT_TIMEZONE: Type.String({ minLength: 1, default: 'Europe/Paris' }),
  SESSION_IDLE_HOURS: Type.Number({ exclusiveMinimum: 0, maximum: 72, default: 12 }),
  OBSERVATION_MINUTES: Type.Integer({ minimum: 1, maximum: 600, default: 15 }),
  SEDATED_OBSERVATION_MINUTES: Type.Integer({ minimum: 1, maximum: 600, default: 30 }),
  SEDATION_VITALS_MINUTES: Type.Integer({ minimum: 1, maximum: 60, default: 5 }),
  BOARD_LABEL: Type.Union([Type.Literal('initials'), Type.Literal('initials_slot')], { default: 'initials' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  TRUST_PROXY: Type.String({ maxLength: 400, default: '0' }),
  LOGIN_RATE_LIMIT: Type.Integer({ minimum: 1, maximum: 10000, default: 10 }),
  LIVE_MAX_BUFFER_KB: Type.Integer({ minimum: 16, maximum: 65536, default: 1024 }),
  LIVE_HEARTBEAT_SECONDS: Type.Number({ minimum: 0.1, maximum: 300, default: 15 }),
  CYCLES_PER_TARGET: Type.Integer({ minimum: 1, maximum: 6, default: 2 }),
  ROOM_CLEANING_ALERT_MINUTES: Type.Integer({ minimum: 1, maximum: 600, default: 20 }),
  ROOMS: Type.String({ minLength: 1, maxLength: 400, default: 'Salle 1,Salle 2,Salle 3' }),
  // Hardening (docs/security.md): HTTP timeouts, Host check, absolute session lifetime.
  HTTP_REQUEST_TIMEOUT_SECONDS: Type.Number({ minimum: 0.5, maximum: 600, default: 30 }),
  HTTP_IDLE_TIMEOUT_SECONDS: Type.Number({ minimum: 1, maximum: 3600, default: 60 }),
  ALLOWED_HOSTS: Type.String({ maxLength: 1000, default: '' }),
  SESSION_MAX_HOURS: Type.Number({ exclusiveMinimum: 0, maximum: 720, default: 24 }),
  // Live-feed limits per client (docs/security.md, "Live feed limits").
  LIVE_MAX_SOCKETS_PER_TOKEN: Type.Integer({ minimum: 1, maximum: 1000, default: 4 }),
  LIVE_MAX_SOCKETS_PER_SESSION: Type.Integer({ minimum: 1, maximum: 1000, default: 8 }),
  LIVE_MAX_SOCKETS_PER_ADDRESS: Type.Integer({ minimum: 1, maximum: 100000, default: 256 }),
  LIVE_MESSAGE_BUDGET: Type.Integer({ minimum: 5, maximum: 100000, default: 30 }),
  // The hospital's interface engine (docs/integration.md): the MLLP listener is off until a port is set.
  HL7_MLLP_PORT: Type.String({ maxLength: 5, pattern: '^[0-9]*$', default: '' }),
  HL7_MLLP_HOST: Type.String({ minLength: 1, maxLength: 255, default: '127.0.0.1' }),
  HL7_DEFAULT_CHARSET: Type.Union([Type.Literal('ISO-8859-1'), Type.Literal('UTF-8')], { default: 'ISO-8859-1' }),
  HL7_MRN_AUTHORITY: Type.String({ maxLength: 100, default: '' }),
  HL7_MAX_MESSAGE_KB: Type.Integer({ minimum: 4, maximum: 16384, default: 1024 }),
  // Exports and range reports run in worker threads (docs/architecture.md, "Heavy reads").
  REPORT_WORKERS: Type.Integer({ minimum: 1, maximum: 8, default: 1 }),
  REPORT_QUEUE: Type.Integer({ minimum: 0, maximum: 100, default: 4 }),
  REPORT_WORKER_IDLE_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 30 }),
  WAL_CHECKPOINT_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 10 }),
});

export interface Config {
  port: number;
  host: string;
  databasePath: string;
  /** postgres://… when the app runs on PostgreSQL (several instances may share it); null: SQLite at `databasePath`. */
  databaseUrl: string | null;
  demo: boolean;
  timezone: string;
  sessionIdleMs: number;
  observationMinutes: number;
  sedatedObservationMinutes: number;
  /** The unit's usual freeze/thaw cycles per target: what the next step proposes. */
  cyclesPerTarget: number;
  /** A room cleaning for longer than this is an alert on the board and the rooms strip. */
  roomCleaningAlertMinutes: number;
  /** Longest gap between two sets of vitals of a sedated patient in the room or in observation. */
  sedationVitalsMinutes: number;
  boardLabel: 'initials' | 'initials_slot';
  logLevel: string;
  /** Which peers' X-Forwarded-* headers are believed: none, the nearest n hops, or these addresses/CIDRs. */
  trustProxy: TrustProxy;
  /** Sign-in attempts one address may make per minute, whatever the usernames. */
  loginRateLimit: number;
  /** The MLLP listener for HL7 v2 bookings; null when HL7_MLLP_PORT is not set (off). */
  hl7: Hl7Config;
  rooms: string[];
  liveMaxBufferBytes: number;
  /** How often live sockets are pinged (dead ones dropped) and their sign-in checked again. */
  liveHeartbeatMs: number;
  /** Longest time a client may take to send a whole request, headers and body. */
  httpRequestTimeoutMs: number;
  /** A socket silent this long mid-request or mid-answer is closed (kept-alive idle ones follow keepAliveTimeout); live sockets are exempt. */
  httpIdleTimeoutMs: number;
  /** Host names (no port) a request may name in its Host header; anything else answers 421. */
  allowedHosts: string[];
  /** A session ends this long after sign-in, however much it is used. */
  sessionMaxMs: number;
  /** Live-feed limits per client: sockets per display token, per session and per address; messages per socket per minute. */
  liveLimits: LiveLimits;
  /** Worker threads for exports and range reports, each with its own read-only connection. */
  reportWorkers: number;
  /** Exports allowed to wait for a free worker; one more is refused with a 503 and Retry-After. */
  reportQueue: number;
  /** A report worker idle this long is stopped (its memory returned); the next export starts one. */
  reportWorkerIdleMs: number;
  /** How often SQLite's WAL is copied into the database file, by a thread of its own (server/workers/checkpointer.ts). */
  walCheckpointMs: number;
}

export interface LiveLimits {
  socketsPerToken: number;
  socketsPerSession: number;
  socketsPerAddress: number;
  messagesPerMinute: number;
}

/** false: forwarded headers ignored; a number: that many proxy hops; a list: proxies' addresses or CIDRs. */
export type TrustProxy = false | number | string[];

// proxy-addr's names for address ranges, accepted in TRUST_PROXY as Fastify accepts them.
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
  return bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

/**
 * "0" (off), a hop count ("1": believe only the address the nearest proxy appended; "true" reads as 1
 * so an old setting does not trust every client), or proxies' addresses/CIDRs separated by commas.
 */
export function parseTrustProxy(raw: string): TrustProxy {
  const value = raw.trim().toLowerCase();
  if (['', '0', 'false', 'no', 'off'].includes(value)) return false;
  if (['true', 'yes', 'on'].includes(value)) return 1;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) throw new ConfigError(`TRUST_PROXY hop count must be at most 10 (got "${raw}")`);
    return hops;
  }
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !isAddressOrCidr(e));
  if (bad !== undefined) {
    throw new ConfigError(`TRUST_PROXY must be 0, a hop count, or proxy addresses/CIDRs separated by commas (got "${raw}")`);
  }
  return entries;
}

/** A host name as the Host header carries it, without port, brackets or trailing dot, in lower case. */
export function hostName(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.includes(']') ? value.indexOf(']') : undefined);
  if (isIP(value) === 6) return value;
  return value.replace(/:\d*$/, '').replace(/\.$/, '');
}

export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '']);

/**
 * The listen address (unless a wildcard) and the loopback names, plus ALLOWED_HOSTS. Loopback names
 * stay allowed always: a rebinding attack needs a name the attacker owns, and the container's health
 * check calls 127.0.0.1.
 */
function parseAllowedHosts(raw: string, listenHost: string): string[] {
  const listed = raw.split(',').map(hostName).filter(Boolean);
  const bad = listed.find((h) => !/^[a-z0-9.-]+$/.test(h) && isIP(h) !== 6);
  if (bad !== undefined) throw new ConfigError(`ALLOWED_HOSTS must list host names or addresses separated by commas (got "${raw}")`);
  const own = WILDCARD_ADDRESSES.has(hostName(listenHost)) ? [] : [hostName(listenHost)];
  return [...new Set([...own, ...LOOPBACK_NAMES, ...listed])];
}

export class ConfigError extends Error {}

export interface Hl7Config {
  /** null: no listener. 0 lets the system pick a port (tests). */
  port: number | null;
  host: string;
  /** What an empty MSH-18 means. */
  defaultCharset: 'ISO-8859-1' | 'UTF-8';
  /** The assigning authority (PID-3.4) whose identifier is the unit's MRN; empty: the first identifier. */
  mrnAuthority: string;
  /** A frame longer than this is refused and its connection closed. */
  maxMessageBytes: number;
}

/**
 * A PostgreSQL connection string, or null for SQLite. Everything the server runs (the demo day and
 * the interfaces included) works on either store, so nothing else is refused beside it.
 */
function parseDatabaseUrl(raw: string): string | null {
  const value = raw.trim();
  if (value === '') return null;
  // Not WHATWG's URL: libpq's form allows an empty host with the socket folder in ?host=.
  if (!/^postgres(ql)?:\/\//.test(value)) throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql:// (postgres://user:password@host:5432/cryoday)');
  if (!/^postgres(ql)?:\/\/[^/?#]*\/[^?#]/.test(value)) throw new ConfigError('DATABASE_URL must name a database (postgres://user:password@host:5432/cryoday)');
  return value;
}

function parseMllpPort(raw: string): number | null {
  if (raw.trim() === '') return null;
  const port = Number(raw);
  if (!Number.isInteger(port) || port > 65535) throw new ConfigError(`HL7_MLLP_PORT must be a port number (got "${raw}")`);
  return port;
}

const checker = Compile(EnvSchema);

function coerce(name: string, raw: string, schema: Record<string, unknown>): unknown {
  const kind = schema.type;
  if (kind === 'integer' || kind === 'number') return raw.trim() === '' ? Number.NaN : Number(raw);
  if (kind === 'boolean') {
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off', ''].includes(raw.toLowerCase())) return false;
    throw new ConfigError(`${name} must be 1/0 or true/false, got "${raw}"`);
  }
  return raw;
}

/** Reads and validates the environment once; a bad value throws a ConfigError with a one-line reason. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const values: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(EnvSchema.properties)) {
    const schema = property as unknown as Record<string, unknown>;
    const raw = env[name];
    values[name] = raw === undefined ? schema.default : coerce(name, raw, schema);
  }
  if (!checker.Check(values)) {
    const first = [...checker.Errors(values)][0];
    const name = first?.instancePath.replace(/^\//, '') ?? 'environment';
    throw new ConfigError(`${name} ${first?.message ?? 'is invalid'} (got "${env[name] ?? ''}")`);
  }
  const v = values as Static<typeof EnvSchema>;
  try {
    new Intl.DateTimeFormat('en', { timeZone: v.UNIT_TIMEZONE });
  } catch {
    throw new ConfigError(`UNIT_TIMEZONE must be an IANA time zone such as Europe/Paris (got "${v.UNIT_TIMEZONE}")`);
  }
  const rooms = v.ROOMS.split(',').map((r) => r.trim()).filter(Boolean);
  if (rooms.length === 0 || rooms.length > 12 || rooms.some((r) => r.length > 40)) {
    throw new ConfigError(`ROOMS must list 1 to 12 room names separated by commas (got "${v.ROOMS}")`);
  }
  return {
    port: v.PORT,
    host: v.HOST,
    databasePath: v.DATABASE_PATH,
    databaseUrl: parseDatabaseUrl(v.DATABASE_URL),
    demo: v.CRYODAY_DEMO,
    timezone: v.UNIT_TIMEZONE,
    sessionIdleMs: v.SESSION_IDLE_HOURS * 3_600_000,
    observationMinutes: v.OBSERVATION_MINUTES,
    sedatedObservationMinutes: v.SEDATED_OBSERVATION_MINUTES,
    cyclesPerTarget: v.CYCLES_PER_TARGET,
    roomCleaningAlertMinutes: v.ROOM_CLEANING_ALERT_MINUTES,
    sedationVitalsMinutes: v.SEDATION_VITALS_MINUTES,
    boardLabel: v.BOARD_LABEL,
    logLevel: v.LOG_LEVEL,
    trustProxy: parseTrustProxy(v.TRUST_PROXY),
    loginRateLimit: v.LOGIN_RATE_LIMIT,
    rooms,
    liveMaxBufferBytes: v.LIVE_MAX_BUFFER_KB * 1024,
    liveHeartbeatMs: Math.round(v.LIVE_HEARTBEAT_SECONDS * 1000),
    httpRequestTimeoutMs: Math.round(v.HTTP_REQUEST_TIMEOUT_SECONDS * 1000),
    httpIdleTimeoutMs: Math.round(v.HTTP_IDLE_TIMEOUT_SECONDS * 1000),
    allowedHosts: parseAllowedHosts(v.ALLOWED_HOSTS, v.HOST),
    sessionMaxMs: v.SESSION_MAX_HOURS * 3_600_000,
    hl7: {
      port: parseMllpPort(v.HL7_MLLP_PORT),
      host: v.HL7_MLLP_HOST,
      defaultCharset: v.HL7_DEFAULT_CHARSET,
      mrnAuthority: v.HL7_MRN_AUTHORITY.trim(),
      maxMessageBytes: v.HL7_MAX_MESSAGE_KB * 1024,
    },
    liveLimits: {
      socketsPerToken: v.LIVE_MAX_SOCKETS_PER_TOKEN,
      socketsPerSession: v.LIVE_MAX_SOCKETS_PER_SESSION,
      socketsPerAddress: v.LIVE_MAX_SOCKETS_PER_ADDRESS,
      messagesPerMinute: v.LIVE_MESSAGE_BUDGET,
    },
    reportWorkers: v.REPORT_WORKERS,
    reportQueue: v.REPORT_QUEUE,
    reportWorkerIdleMs: v.REPORT_WORKER_IDLE_SECONDS * 1000,
    walCheckpointMs: v.WAL_CHECKPOINT_SECONDS * 1000,
  };
}
