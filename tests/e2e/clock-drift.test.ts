import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../support/api';
import { launchChromium } from '../support/browser';
import { TABLET, requireBuiltSite, waitConnected } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

const DEMO_PASSWORD = 'demo';
const DRIFT_MS = 3 * 3600_000;

// A tablet whose clock runs hours ahead still shows the right timers: the live feed says the server's time.
describe('timers on a tablet with a drifting clock', () => {
  let server: TestServer;
  let browser: Browser;
  let observed: { id: string; observationStartedAt: string };
  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer({ CRYODAY_DEMO: '1' });
    const cases = (await (await Api.login(server, 'nurse', DEMO_PASSWORD)).get('/api/cases')).body.cases as { id: string; stage: string; observationStartedAt: string }[];
    observed = cases.find((c) => c.stage === 'observation')!;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('counts the observation time on the server clock, not the device clock', async () => {
    const context = await browser.newContext({ viewport: TABLET, locale: 'en-GB', hasTouch: true });
    const page = await context.newPage();
    await page.clock.install({ time: Date.now() + DRIFT_MS });
    await page.goto(`${server.url}/login`);
    await page.locator('input[name=username]').fill('nurse');
    await page.locator('input[name=password]').fill(DEMO_PASSWORD);
    await page.locator('form button[type=submit]').click();
    await page.getByTestId('current-user').waitFor();
    await waitConnected(page);
    await page.goto(`${server.url}/cases/${observed.id}`);
    await waitConnected(page);
    expect(await page.evaluate(() => Date.now())).toBeGreaterThan(Date.now() + DRIFT_MS - 60_000);

    const shown = await page.getByTestId('observation-elapsed').textContent();
    const toMinutes = (text: string) => {
      const m = /(?:(\d+) h )?(\d+)(?: min)?/.exec(text.trim())!;
      return Number(m[1] ?? 0) * 60 + Number(m[2]);
    };
    const expected = (Date.now() - Date.parse(observed.observationStartedAt)) / 60_000;
    expect(Math.abs(toMinutes(shown ?? '') - expected)).toBeLessThanOrEqual(1);
    await context.close();
  });
});
