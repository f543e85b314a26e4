// The load generator's pieces both benches use. It shares the 2 cores with the server: plain keep-alive
// node:http costs it far less CPU per request than fetch, so the figures measure the server, not the client.
import http from 'node:http';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** A GET read to its end: its status and how many bytes came. */
export function get(server: { url: string }, path: string, cookie: string): Promise<{ status: number; bytes: number }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'GET', agent, headers: { cookie } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A JSON POST: its status and parsed answer. */
export function post(server: { url: string }, path: string, payload: unknown, cookie: string): Promise<{ status: number; body: any }> {
  const url = new URL(server.url);
  const data = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), cookie } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Closes the kept-alive connections, so a bench that is done can exit. */
export const closeConnections = () => agent.destroy();
