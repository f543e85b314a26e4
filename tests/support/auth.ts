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

/** Every route the server lists, parsed from printRoutes' tree: [path, methods]. */
export function listedRoutes(server: TestServer): { path: string; methods: string[] }[] {
  const routes: { path: string; methods: string[] }[] = [];
  const stack: string[] = [];
  for (const line of server.app.printRoutes().split('\n')) {
    const match = /^([\s│]*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + match[2];
    stack[depth] = path;
    if (match[3]) routes.push({ path, methods: match[3].split(', ') });
  }
  return routes;
}
