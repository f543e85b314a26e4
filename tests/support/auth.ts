import WebSocket from 'ws';
import type { TestServer } from './server';

/** Answers and frames are read field by field in tests, where a precise type would only add noise. */
 
export type Loose = any;

export interface HttpAnswer<T = Loose> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

/** One real HTTP request; the body is parsed when it is JSON. */
export async function http<T = Loose>(
  server: TestServer,
  method: string,
  path: string,
  options: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = { 'accept-language': 'en', ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, text, body: body as T };
}

export const attemptLogin = (server: TestServer, username: string, password: string, headers: Record<string, string> = {}) =>
  http(server, 'POST', '/api/auth/login', { body: { username, password }, headers });

/** Signs in and returns the `cookie` header value that carries the session. */
export async function login(server: TestServer, username: string, password = 'demo'): Promise<string> {
  const res = await attemptLogin(server, username, password);
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text}`);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

/** An admin creates a wall-screen token; returns its id and clear token. */
export async function newDisplayToken(server: TestServer, adminCookie: string, name = 'Écran salle de réveil') {
  const res = await http(server, 'POST', '/api/admin/display-tokens', { cookie: adminCookie, body: { name } });
  if (res.status !== 201) throw new Error(`display token: ${res.status} ${res.text}`);
  return res.body as { id: string; token: string; boardUrl: string; name: string };
}

/** A websocket that keeps every raw frame as received, for byte-level inspection. */
export class RawSocket {
  readonly frames: string[] = [];
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  closeCode: number | null = null;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.socket = new WebSocket(url, { headers });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      this.socket.once('close', (code, reason) => {
        this.closeCode = code;
        resolve({ code, reason: reason.toString() });
      }),
    );
    this.socket.on('message', (data) => this.frames.push(data.toString()));
  }

  static board(server: TestServer, token: string, query = '') {
    return new RawSocket(`${server.wsUrl}/api/live?token=${encodeURIComponent(token)}${query}`);
  }

  /** Every message, with batch frames unwrapped. */
  messages(): Loose[] {
    return this.frames.flatMap((f) => {
      const m = JSON.parse(f);
      return m.type === 'batch' ? m.messages : [m];
    });
  }

  async waitFor(predicate: (messages: Loose[]) => boolean, timeoutMs = 5000) {
    const start = Date.now();
    while (!predicate(this.messages())) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting; got ${this.frames.length} frames`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close() {
    this.socket.close();
  }
}
