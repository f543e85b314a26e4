import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { WALL, axeViolations, displayToken, requireBuiltSite } from '../support/e2e';
import { walkScreens } from '../support/screens';
import { removeDir, startServer, type TestServer } from '../support/server';

describe('accessibility (axe-core) on every screen', () => {
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

  it('reports no serious or critical violation', async () => {
    const found: string[] = [];
    await walkScreens(browser, server, 'fr', async (name, page) => {
      for (const violation of await axeViolations(page)) found.push(`${name}: ${violation}`);
    }, { bypassCSP: true });
    expect(found).toEqual([]);
  }, 120_000);

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
