import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, LiveClient, newCaseBody, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { WALL, displayToken, requireBuiltSite, waitConnected } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

const BUDGET = 5;

// The wall screen has nobody to press reload: closed by the server for a newer socket of its token
// (4430) or for spending its message budget (4429), it comes back by itself, after the penalty, and
// shows what happened meanwhile.
describe('a wall board closed by the live feed limits comes back by itself', () => {
  let server: TestServer;
  let browser: Browser;
  let nurse: Api;

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer({ LIVE_MAX_SOCKETS_PER_TOKEN: '1', LIVE_MESSAGE_BUDGET: String(BUDGET) });
    await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  /** A board page whose websockets the test can reach (its console errors fail the test, tests/support/console-guard.ts). */
  async function openWatchedBoard(token: string) {
    const context = await browser.newContext({ viewport: WALL, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const Native = window.WebSocket;
      const opened: WebSocket[] = [];
      const codes: number[] = [];
      Object.assign(window, { liveSockets: opened, closeCodes: codes });
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          opened.push(this);
          this.addEventListener('close', (event) => codes.push(event.code));
        }
      };
    });
    await page.goto(`${server.url}/board?token=${encodeURIComponent(token)}&lang=fr`);
    await waitConnected(page);
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    return page;
  }

  const closeCodes = (page: Page) => page.evaluate(() => (window as unknown as { closeCodes: number[] }).closeCodes);

  async function expectBackLive(page: Page, caseId: string) {
    await page.getByTestId('connection-lost').waitFor({ timeout: 3000 });
    // Something happens while the board is away: it must show once the board is back.
    await nurse.command(caseId, { type: 'admit' });
    await waitConnected(page, 20_000);
    await page.locator(`[data-testid="board-card-${caseId}"][data-stage="admitted"]`).waitFor({ timeout: 2000 });
    expect(await page.getByTestId('connection-lost').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    // And live again.
    await nurse.command(caseId, { type: 'cancel', reason: 'no_show' });
    await page.getByTestId('lane-done').locator(`[data-testid="board-card-${caseId}"][data-stage="cancelled"]`).waitFor({ timeout: 2000 });
    expect((await closeCodes(page)).length).toBe(1);
  }

  // Side by side: each board has its own token and case, and each waits out its own slow retry (8 s).
  it.concurrent('replaced by a newer socket of its token (4430): reconnects, catches up and stays live', async () => {
    const caseId = await bookAsCoordinator();
    const token = displayToken(server);
    const page = await openWatchedBoard(token);
    await page.getByTestId(`board-card-${caseId}`).waitFor();
    const intruder = LiveClient.board(server, token);
    await intruder.waitFor((m) => m[0]?.type === 'snapshot');
    await expect.poll(() => closeCodes(page), { timeout: 5000 }).toEqual([4430]);
    // The newer socket goes away again, as a half-open one left behind does, before the board retries.
    intruder.close();
    await expectBackLive(page, caseId);
  }, 40_000);

  it.concurrent('over its message budget (4429): reconnects once the penalty is over, catches up and stays live', async () => {
    const caseId = await bookAsCoordinator();
    const page = await openWatchedBoard(displayToken(server));
    await page.getByTestId(`board-card-${caseId}`).waitFor();
    // The board's own socket, used as a misbehaving screen would: one message past its budget.
    await page.evaluate((budget) => {
      const socket = (window as unknown as { liveSockets: WebSocket[] }).liveSockets.at(-1)!;
      for (let i = 0; i <= budget; i++) socket.send(JSON.stringify({ type: 'ping' }));
    }, BUDGET);
    // The server stops reading at once and drops the socket within 2 s if its close is not answered.
    await expect.poll(() => closeCodes(page), { timeout: 5000 }).toEqual([4429]);
    await expectBackLive(page, caseId);
  }, 40_000);

  async function bookAsCoordinator(): Promise<string> {
    const coordinator = await Api.login(server, 'coordinator');
    return (await coordinator.post('/api/cases', newCaseBody())).body.case.id;
  }
});
