import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../support/api';
import { launchChromium } from '../support/browser';
import { requireBuiltSite, signIn, waitConnected } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// The unit's zone is the server's UNIT_TIMEZONE, whatever the device says: a unit outside Paris sees its own hours.
describe('times in the unit time zone', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer({ CRYODAY_DEMO: '1', UNIT_TIMEZONE: 'Asia/Tokyo' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it("shows scheduled times in the server's zone, not the device's nor Paris", async () => {
    const cases = (await (await Api.login(server, 'nurse', 'demo')).get('/api/cases')).body.cases as { id: string; scheduledAt: string }[];
    expect(cases.length).toBeGreaterThan(0);
    const page = await signIn(browser, server, 'nurse', { lang: 'en', password: 'demo' });
    await waitConnected(page);
    const first = cases[0]!;
    const tokyo = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Tokyo' }).format(new Date(first.scheduledAt));
    const paris = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).format(new Date(first.scheduledAt));
    expect(tokyo).not.toBe(paris);
    await expect.poll(() => page.getByTestId(`case-row-${first.id}`).locator('td.time').textContent()).toBe(tokyo);
  });
});
