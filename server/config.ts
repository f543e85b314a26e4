import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';

/** Environment variables the server reads, with their defaults. README's configuration table mirrors this. */
const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATABASE_PATH: Type.String({ minLength: 1, default: './data/cryoday.sqlite' }),
  CRYODAY_DEMO: Type.Boolean({ default: false }),
  UNIT_TIMEZONE: Type.String({ minLength: 1, default: 'Europe/Paris' }),
  SESSION_IDLE_HOURS: Type.Number({ exclusiveMinimum: 0, maximum: 72, default: 12 }),
  OBSERVATION_MINUTES: Type.Integer({ minimum: 1, maximum: 600, default: 15 }),
  SEDATED_OBSERVATION_MINUTES: Type.Integer({ minimum: 1, maximum: 600, default: 30 }),
  BOARD_LABEL: Type.Union([Type.Literal('initials'), Type.Literal('initials_slot')], { default: 'initials' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  TRUST_PROXY: Type.Boolean({ default: false }),
  LOGIN_RATE_LIMIT: Type.Integer({ minimum: 1, maximum: 10000, default: 10 }),
  LIVE_MAX_BUFFER_KB: Type.Integer({ minimum: 16, maximum: 65536, default: 1024 }),
  LIVE_HEARTBEAT_SECONDS: Type.Number({ minimum: 0.1, maximum: 300, default: 15 }),
  ROOMS: Type.String({ minLength: 1, maxLength: 400, default: 'Salle 1,Salle 2,Salle 3' }),
  // Live-feed limits per client (docs/security.md, "Live feed limits").
  LIVE_MAX_SOCKETS_PER_TOKEN: Type.Integer({ minimum: 1, maximum: 1000, default: 4 }),
  LIVE_MAX_SOCKETS_PER_SESSION: Type.Integer({ minimum: 1, maximum: 1000, default: 8 }),
  LIVE_MAX_SOCKETS_PER_ADDRESS: Type.Integer({ minimum: 1, maximum: 100000, default: 256 }),
  LIVE_MESSAGE_BUDGET: Type.Integer({ minimum: 5, maximum: 100000, default: 30 }),
});

export interface Config {
  port: number;
  host: string;
  databasePath: string;
  demo: boolean;
  timezone: string;
  sessionIdleMs: number;
  observationMinutes: number;
  sedatedObservationMinutes: number;
  boardLabel: 'initials' | 'initials_slot';
  logLevel: string;
  trustProxy: boolean;
  /** Sign-in attempts one address may make per minute, whatever the usernames. */
  loginRateLimit: number;
  rooms: string[];
  liveMaxBufferBytes: number;
  /** How often live sockets are pinged (dead ones dropped) and their sign-in checked again. */
  liveHeartbeatMs: number;
  /** Live-feed limits per client: sockets per display token, per session and per address; messages per socket per minute. */
  liveLimits: LiveLimits;
}

export interface LiveLimits {
  socketsPerToken: number;
  socketsPerSession: number;
  socketsPerAddress: number;
  messagesPerMinute: number;
}

export class ConfigError extends Error {}

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
    demo: v.CRYODAY_DEMO,
    timezone: v.UNIT_TIMEZONE,
    sessionIdleMs: v.SESSION_IDLE_HOURS * 3_600_000,
    observationMinutes: v.OBSERVATION_MINUTES,
    sedatedObservationMinutes: v.SEDATED_OBSERVATION_MINUTES,
    boardLabel: v.BOARD_LABEL,
    logLevel: v.LOG_LEVEL,
    trustProxy: v.TRUST_PROXY,
    loginRateLimit: v.LOGIN_RATE_LIMIT,
    rooms,
    liveMaxBufferBytes: v.LIVE_MAX_BUFFER_KB * 1024,
    liveHeartbeatMs: Math.round(v.LIVE_HEARTBEAT_SECONDS * 1000),
    liveLimits: {
      socketsPerToken: v.LIVE_MAX_SOCKETS_PER_TOKEN,
      socketsPerSession: v.LIVE_MAX_SOCKETS_PER_SESSION,
      socketsPerAddress: v.LIVE_MAX_SOCKETS_PER_ADDRESS,
      messagesPerMinute: v.LIVE_MESSAGE_BUDGET,
    },
  };
}
