import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestServer } from './server';
import type { Loose } from './auth';

export interface ProxyAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Loose;
}

/**
 * A reverse proxy as nginx's `$proxy_add_x_forwarded_for` behaves: it appends the address its client
 * connected from to whatever X-Forwarded-For the client sent. `from` is the address the proxy itself
 * connects to the server from (any 127.x.y.z is loopback on Linux), so a test can tell it apart.
 */
export async function forwardingProxy(target: TestServer, from = '127.0.0.1') {
  const url = new URL(target.url);
  const server = http.createServer((req, res) => {
    const sent = req.headers['x-forwarded-for'];
    const client = req.socket.remoteAddress ?? '';
    const headers = { ...req.headers, 'x-forwarded-for': sent ? `${String(sent)}, ${client}` : client };
    const upstream = http.request(
      { host: url.hostname, port: url.port, localAddress: from, path: req.url, method: req.method, headers, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A JSON POST sent from a chosen loopback address, to the server or to a proxy in front of it: lets
 * a test play several machines from one host.
 */
export function postFrom(
  port: number,
  localAddress: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<ProxyAnswer> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        method: 'POST',
        path,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': String(payload.length), 'accept-language': 'en', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
