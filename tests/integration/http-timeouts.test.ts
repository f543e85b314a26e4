import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, LiveClient, bookCaseInThePast, seedStaff } from '../support/api';
import { removeDir, startServer, type TestServer } from '../support/server';

/** A raw TCP client that records everything the server sends and when the server closed it. */
class SlowClient {
  readonly socket: net.Socket;
  received = '';
  closed = false;
  #timer: NodeJS.Timeout | null = null;

  constructor(server: TestServer) {
    this.socket = net.connect(Number(new URL(server.url).port), '127.0.0.1');
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => (this.received += chunk));
    this.socket.on('error', () => {});
    this.socket.on('close', () => {
      this.closed = true;
      this.stop();
    });
  }

  /** Sends `text` one character every `everyMs`, never finishing it within a test. */
  trickle(text: string, everyMs: number) {
    let at = 0;
    this.#timer = setInterval(() => {
      if (!this.closed) this.socket.write(text[at++ % text.length]!);
    }, everyMs);
  }

  stop() {
    if (this.#timer) clearInterval(this.#timer);
  }
}

const SLOW_POST = 'POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"username":"';

describe('HTTP timeouts: slow requests are cut, live sockets and downloads are not', () => {
  let server: TestServer;
  const clients: SlowClient[] = [];
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  beforeAll(async () => {
    // A request must arrive within 1 s; a silent socket is closed after 2 s. The live heartbeat stays at
    // its 15 s default, so a live socket is silent for longer than both while the test watches it.
    server = await startServer({ HTTP_REQUEST_TIMEOUT_SECONDS: '1', HTTP_IDLE_TIMEOUT_SECONDS: '2' });
    staff = await seedStaff(server);
  });
  afterAll(async () => {
    for (const c of clients) c.socket.destroy();
    await server?.close();
    removeDir(server.dir);
  });

  it('closes 20 POST bodies trickled a byte at a time (never idle) with a 408 problem+json', async () => {
    const slow = Array.from({ length: 20 }, () => new SlowClient(server));
    clients.push(...slow);
    for (const c of slow) {
      c.socket.write(SLOW_POST);
      // Faster than the idle timeout: only the request timeout can end these.
      c.trickle('a', 200);
    }
    await expect.poll(() => slow.filter((c) => c.closed).length, { timeout: 15_000, interval: 100 }).toBe(20);
    for (const c of slow) {
      expect(c.received).toMatch(/^HTTP\/1\.1 408 /);
      expect(c.received).toContain('application/problem+json');
      expect(JSON.parse(c.received.slice(c.received.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 408, code: 'request_timeout' });
    }
  });

  it('closes headers sent a byte at a time, and a connection that never sends anything', async () => {
    const slowHeaders = new SlowClient(server);
    const silent = new SlowClient(server);
    clients.push(slowHeaders, silent);
    slowHeaders.trickle('GET /api/health HTTP/1.1\r\nX-Padding: ' + 'a'.repeat(1000), 150);
    await expect.poll(() => slowHeaders.closed && silent.closed, { timeout: 15_000, interval: 100 }).toBe(true);
    expect(slowHeaders.received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers what Node refuses before any route (unreadable HTTP, oversized headers) as problem+json too', async () => {
    const garbage = new SlowClient(server);
    const huge = new SlowClient(server);
    clients.push(garbage, huge);
    garbage.socket.write('NOT HTTP AT ALL\r\n\r\n');
    huge.socket.write(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    await expect.poll(() => garbage.closed && huge.closed, { timeout: 10_000 }).toBe(true);
    const body = (c: SlowClient) => JSON.parse(c.received.slice(c.received.indexOf('\r\n\r\n') + 4));
    expect(garbage.received).toMatch(/^HTTP\/1\.1 400 /);
    expect(body(garbage)).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(huge.received).toMatch(/^HTTP\/1\.1 431 /);
    expect(body(huge)).toMatchObject({ status: 431, code: 'payload_too_large' });
  });

  it('keeps a live socket open while it is silent for longer than both timeouts, and it still gets events', async () => {
    const nurse = await Api.login(server, 'nurse');
    const client = LiveClient.staff(server, nurse);
    await client.waitFor((m) => m[0]?.type === 'snapshot');
    await new Promise((r) => setTimeout(r, 4500));
    expect(client.closeCode).toBeNull();
    await bookCaseInThePast(server, staff.coordinator, 1);
    await client.waitFor((m) => m.some((x) => x.type === 'event'));
    client.close();
  });
});
