import { createServer, request, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, newCaseBody, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { WALL, displayToken, requireBuiltSite } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

/**
 * A stand-in for flaky hospital Wi-Fi in front of the server: plain requests pass; while `stalled`,
 * a websocket handshake is accepted at the TCP level and never answered, so the browser's socket sits
 * in CONNECTING (it has no timeout of its own for minutes).
 */
function flakyProxy(target: URL) {
  const held: Socket[] = [];
  const state = { stalled: false, upgrades: 0 };
  const server: Server = createServer((req, res) => {
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket: Socket, head: Buffer) => {
    state.upgrades += 1;
    if (state.stalled) {
      held.push(socket);
      return;
    }
    const upstream = connect(Number(target.port), target.hostname, () => {
      const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return {
    state,
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of held) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('a screen whose connection attempt hangs', () => {
  let server: TestServer;
  let browser: Browser;
  let proxy: ReturnType<typeof flakyProxy>;
  let url: string;
  let caseId: string;

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer();
    await seedStaff(server);
    caseId = (await (await Api.login(server, 'coordinator')).post('/api/cases', newCaseBody())).body.case.id;
    proxy = flakyProxy(new URL(server.url));
    url = await proxy.listen();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.close();
    removeDir(server.dir);
  });

  const openBoard = async () => {
    const context = await browser.newContext({ viewport: WALL, locale: 'fr-FR' });
    const board = await context.newPage();
    await board.goto(`${url}/board?token=${encodeURIComponent(displayToken(server))}&lang=fr`);
    return board;
  };
  const connected = '[data-testid="live-status"][data-state="connected"]';

  it('gives up on a handshake that never completes and tries again on its own', async () => {
    proxy.state.stalled = true;
    const board = await openBoard();
    // The page loads first: on a busy machine that alone can take over a second.
    await expect.poll(() => proxy.state.upgrades, { timeout: 10_000 }).toBe(1);
    await board.waitForTimeout(1000);
    expect(await board.locator(connected).count()).toBe(0);

    proxy.state.stalled = false;
    // The stuck attempt is dropped after ~5 s, the next one goes through.
    await board.locator(connected).waitFor({ timeout: 9000 });
    await board.getByTestId(`board-card-${caseId}`).waitFor();
    expect(proxy.state.upgrades).toBeGreaterThanOrEqual(2);
    await board.context().close();
  });

  it('tries again at once when the device says the network is back', async () => {
    proxy.state.stalled = true;
    const before = proxy.state.upgrades;
    const board = await openBoard();
    await expect.poll(() => proxy.state.upgrades, { timeout: 10_000 }).toBe(before + 1);
    proxy.state.stalled = false;
    await board.evaluate(() => dispatchEvent(new Event('online')));
    // The stalled handshake would be given up only at its 5-s deadline: connected sooner, and through
    // one more upgrade, the `online` event started a fresh attempt.
    await board.locator(connected).waitFor({ timeout: 3000 });
    expect(proxy.state.upgrades).toBe(before + 2);
    await board.context().close();
  });

  it('shows a discreet note when the browser cannot keep the screen awake', async () => {
    const context = await browser.newContext({ viewport: WALL, locale: 'fr-FR' });
    await context.addInitScript(() => {
      delete (Navigator.prototype as { wakeLock?: unknown }).wakeLock;
    });
    const board = await context.newPage();
    await board.goto(`${url}/board?token=${encodeURIComponent(displayToken(server))}&lang=fr`);
    await board.locator(connected).waitFor({ timeout: 5000 });
    const note = board.getByTestId('no-wake-lock');
    await note.waitFor();
    expect(await note.textContent()).toContain('Veille non bloquée');
    await context.close();
  });
});
