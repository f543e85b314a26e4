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

/**
 * Runs `work` while `paths` are fetched one after the other without a pause and `/api/health` is probed
 * every 20 ms: the health probes' times and how many of each export came back, by path and status.
 */
export async function whileExporting<T>(server: { url: string }, cookie: string, paths: string[], work: () => Promise<T>) {
  let running = true;
  const produced: Record<string, number> = {};
  const exporting = (async () => {
    while (running) {
      for (const path of paths) {
        const { status } = await get(server, path, cookie);
        const key = `${path.split('?')[0]!.replace('/api/reports/', '')} ${status}`;
        produced[key] = (produced[key] ?? 0) + 1;
      }
    }
  })();
  const health: number[] = [];
  const probing = (async () => {
    while (running) {
      const t0 = performance.now();
      await get(server, '/api/health', '');
      health.push(performance.now() - t0);
      await sleep(20);
    }
  })();
  await sleep(500);
  try {
    return { result: await work(), health, produced };
  } finally {
    running = false;
    await Promise.all([exporting, probing]);
  }
}

/** Waits until the server at `url` answers `/api/health` (a start on a year of history, on a loaded machine: a minute at most). */
export async function untilHealthy(url: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      if (i > 1200) throw new Error(`${url} did not start`);
    }
    await sleep(50);
  }
}

/** Signs `username` in: the session cookie to send with each request. */
export async function signIn(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** Steps a tablet records on one case before it books and admits the next patient. */
const STEPS_PER_CASE = 30;

/**
 * Closed loop: each tablet sends its next command as soon as the previous is answered. A tablet keeps a
 * case for a realistic number of steps (`step`: vitals, as a nurse would record them), then books and
 * admits the next patient (`renew`, two commands), so the cases stay the size they have on a real day.
 */
export async function closedLoop<C extends object>(
  cases: C[],
  seconds: number,
  step: (c: C) => Promise<unknown>,
  renew: (c: C, key: string) => Promise<Partial<C>>,
): Promise<{ commands: number; seconds: number }> {
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    cases.map(async (c, writer) => {
      let steps = 0;
      while (performance.now() < until) {
        if (++steps % STEPS_PER_CASE === 0) {
          Object.assign(c, await renew(c, `${writer}-${steps}`));
          done += 2;
        } else {
          await step(c);
          done++;
        }
      }
    }),
  );
  return { commands: done, seconds: (performance.now() - start) / 1000 };
}
