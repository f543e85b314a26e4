import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../support/api';
import { launchChromium } from '../support/browser';
import { TABLET, requireBuiltSite, waitConnected } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

const DEMO_PASSWORD = 'demo';

async function demoSignIn(browser: Browser, server: TestServer, username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: TABLET, locale: 'fr-FR', hasTouch: true, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.getByTestId('current-user').waitFor();
  return page;
}

/** Pages in a PDF: its page objects, not the /Pages tree nodes that hold them. */
const pdfPages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;

describe('day report and printed discharge sheet on a demo day', () => {
  let server: TestServer;
  let browser: Browser;
  let discharged: string;
  let scheduled: number;
  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer({ CRYODAY_DEMO: '1' });
    const cases = (await (await Api.login(server, 'nurse', DEMO_PASSWORD)).get('/api/cases')).body.cases as { id: string; stage: string }[];
    discharged = cases.find((c) => c.stage === 'discharged')!.id;
    scheduled = cases.length;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('shows the coordinator the day’s charts and figures, and a CSV export that downloads', async () => {
    const coordinator = await demoSignIn(browser, server, 'coordinator');
    await coordinator.getByTestId('nav-reports').click();
    await coordinator.getByTestId('report-counts').waitFor();
    expect(await coordinator.getByTestId('report-counts').textContent()).toContain(`${scheduled} patients`);
    await coordinator.locator('canvas').first().waitFor();
    expect(await coordinator.locator('canvas').count()).toBeGreaterThanOrEqual(2);
    // The figures behind the charts, as a table: one row per patient of the day.
    expect(await coordinator.getByTestId('durations-table').locator('tbody tr').count()).toBe(scheduled);
    // Each patient by the initials the wall board shows too, the French way ("J.D.").
    const initials = await coordinator.getByTestId('durations-table').locator('tbody th a').allTextContents();
    expect(initials).toHaveLength(scheduled);
    for (const text of initials) expect(text.trim()).toMatch(/^\p{Lu}\.\p{Lu}\.$/u);

    const link = coordinator.getByTestId('csv-cases');
    const href = await link.getAttribute('href');
    const response = await coordinator.context().request.get(`${server.url}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/csv');
    const [download] = await Promise.all([coordinator.waitForEvent('download'), link.click()]);
    expect(await download.failure()).toBeNull();
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    await coordinator.context().close();
  });

  it('prints a discharged patient’s sheet on exactly one A4 page, in French and in English', async () => {
    const nurse = await demoSignIn(browser, server, 'nurse');
    await nurse.goto(`${server.url}/cases/${discharged}`);
    await waitConnected(nurse);
    await nurse.getByTestId('sheet-link').click();
    await nurse.getByTestId('discharge-sheet').waitFor();
    expect(pdfPages(await nurse.pdf({ format: 'A4' }))).toBe(1);

    await nurse.getByTestId('lang-en').click();
    await nurse.getByText('After your cryoneurolysis').first().waitFor();
    expect(pdfPages(await nurse.pdf({ format: 'A4' }))).toBe(1);
    await nurse.context().close();
  });
});
