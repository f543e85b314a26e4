import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { axeViolations, requireBuiltSite } from '../support/e2e';
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
  });
});
