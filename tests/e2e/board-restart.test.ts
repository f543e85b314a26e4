import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, newCaseBody, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { displayToken, freePort, openBoard, requireBuiltSite, waitConnected } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// The wall screen has nobody to press reload: when the server goes away it says so, keeps trying,
// and when the server is back (same database, same address) it resumes from where it was.
describe('the wall board survives a server restart', () => {
  let server: TestServer;
  let browser: Browser;
  let board: Page;
  let caseId: string;
  let port: number;

  beforeAll(async () => {
    requireBuiltSite();
    port = await freePort();
    server = await startServer({ PORT: String(port) });
    await seedStaff(server);
    const coordinator = await Api.login(server, 'coordinator');
    caseId = (await coordinator.post('/api/cases', newCaseBody())).body.case.id;
    browser = await launchChromium();
    board = await openBoard(browser, server, displayToken(server));
    await board.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('shows "connection lost since HH:MM" while the server is down, then catches up without a reload', async () => {
    await board.getByTestId(`board-card-${caseId}`).waitFor();
    await server.close();
    const banner = board.getByTestId('connection-lost');
    await banner.waitFor({ timeout: 3000 });
    expect(await banner.textContent()).toMatch(/Connexion perdue depuis \d\d:\d\d/);

    server = await startServer({ PORT: String(port) }, server.dir);
    // A step taken as soon as the server is back, before the board has reconnected: it must not be missed.
    const nurse = await Api.login(server, 'nurse');
    await nurse.command(caseId, { type: 'admit' });

    await waitConnected(board, 15_000);
    await board.locator(`[data-testid="board-card-${caseId}"][data-stage="admitted"]`).waitFor({ timeout: 2000 });
    expect(await banner.count()).toBe(0);
    expect(await board.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    // And it is live again.
    await nurse.command(caseId, { type: 'cancel', reason: 'no_show' });
    await board.getByTestId('lane-done').locator(`[data-testid="board-card-${caseId}"][data-stage="cancelled"]`).waitFor({ timeout: 1000 });
  });
});
