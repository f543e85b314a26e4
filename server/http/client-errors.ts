import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Problem, problemBody } from './problem';

const TIMEOUT = new Problem(408, 'request_timeout', { key: 'problem.request_timeout' });
const HEADERS_TOO_LARGE = new Problem(431, 'payload_too_large', { key: 'problem.headers_too_large' });
const MALFORMED = new Problem(400, 'validation_failed', { key: 'problem.unreadable_http' });

/**
 * Node refuses a request before Fastify sees it (too slow to arrive, unreadable HTTP): the answer is
 * problem+json like every other refusal, in the unit's language since no header could be read.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? TIMEOUT : error.code === 'HPE_HEADER_OVERFLOW' ? HEADERS_TOO_LARGE : MALFORMED;
  const body = JSON.stringify(problemBody(problem, 'fr'));
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
      'Content-Type: application/problem+json; charset=utf-8\r\nContent-Language: fr\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
