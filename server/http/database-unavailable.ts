import { Problem } from './problem';

/** Seconds a client is told to wait when the database is out of reach: a restart or a failover takes about that. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export const databaseUnavailable = () =>
  new Problem(503, 'database_unavailable', { key: 'problem.database_unavailable' }, { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });

// The socket could not be opened or was lost: the server is stopped, refusing, restarting or unreachable.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);
// SQLSTATE class 08 (connection exception), and the server shutting down or still starting.
const SERVER_STATES = new Set(['57P01', '57P02', '57P03']);
// The pg driver's own words for a connection it gave up on (it sets no code on these).
const DRIVER_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

/**
 * Whether an error says the database could not be reached, rather than that a statement failed: those
 * are answered 503 with Retry-After, and the next request, once the database is back, works. Plain
 * fields only, so a SQLite server never loads the PostgreSQL driver to ask.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const { code, syscall } = error as Error & { code?: unknown; syscall?: unknown };
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || SERVER_STATES.has(code) || code.startsWith('08')) return true;
    // A unix socket whose file is gone: the server is stopped.
    if (code === 'ENOENT' && syscall === 'connect') return true;
  }
  if (DRIVER_MESSAGES.test(error.message)) return true;
  return isDatabaseUnavailable(error.cause, depth + 1);
}
