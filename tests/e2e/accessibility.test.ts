import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { WALL, axeViolations, displayToken, requireBuiltSite } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// Every screen of the day is checked with axe-core on the French walk of every-screen.test.ts; this is the
// one screen that walk does not reach.
describe('accessibility (axe-core) of the wall board offline', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer({ CRYODAY_DEMO: '1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('reports no serious or critical violation on a wall board that has lost its connection', async () => {
    const context = await browser.newContext({ viewport: WALL, locale: 'fr-FR', bypassCSP: true });
    const board = await context.newPage();
    // The live feed refuses every connection: the board says since when it is offline.
    await board.routeWebSocket(/\/api\/live/, (ws) => ws.close());
    await board.goto(`${server.url}/board?token=${encodeURIComponent(displayToken(server))}&lang=fr`);
    await board.getByTestId('connection-lost').waitFor();
    expect(await axeViolations(board)).toEqual([]);
    await context.close();
  });
});
