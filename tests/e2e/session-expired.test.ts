import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, TEST_PASSWORD, newCaseBody, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { requireBuiltSite, signIn, submitStep } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// A session that expires mid-form sends the nurse to sign in and brings her back to what she typed.
describe('an expired session keeps what was typed', () => {
  let server: TestServer;
  let browser: Browser;
  let caseId: string;

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer();
    await seedStaff(server);
    caseId = (await (await Api.login(server, 'coordinator')).post('/api/cases', newCaseBody())).body.case.id;
    await (await Api.login(server, 'nurse')).command(caseId, { type: 'admit' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('goes to sign-in saying the session expired, then back to the case with the draft restored', async () => {
    const nurse = await signIn(browser, server, 'nurse');
    await nurse.goto(`${server.url}/cases/${caseId}`);
    const checklist = nurse.getByTestId('form-record_checklist');
    await checklist.getByLabel("Nom de l'accompagnant").fill('Marc Durand');
    await checklist.getByLabel("Téléphone de l'accompagnant").fill('06 12 34 56 78');

    await nurse.context().clearCookies();
    await submitStep(nurse, 'record_checklist');

    await nurse.getByTestId('session-expired').waitFor();
    expect(new URL(nurse.url()).searchParams.get('next')).toBe(`/cases/${caseId}`);
    await nurse.locator('input[name=username]').fill('nurse');
    await nurse.locator('input[name=password]').fill(TEST_PASSWORD);
    await nurse.locator('form button[type=submit]').click();

    await nurse.waitForURL(`${server.url}/cases/${caseId}`);
    const restored = nurse.getByTestId('form-record_checklist');
    await expect.poll(() => restored.getByLabel("Nom de l'accompagnant").inputValue()).toBe('Marc Durand');
    expect(await restored.getByLabel("Téléphone de l'accompagnant").inputValue()).toBe('06 12 34 56 78');
  });

  it('stops reconnecting when the server refuses this account the live feed (4403), and says so', async () => {
    const nurse = await signIn(browser, server, 'nurse');
    await nurse.goto(`${server.url}/cases/${caseId}`);
    await nurse.getByTestId('case-stage').waitFor();
    // From now on the server answers this account as it answers an administrator on the patient feed.
    let attempts = 0;
    await nurse.routeWebSocket(/\/api\/live/, (socket) => {
      attempts += 1;
      socket.close({ code: 4403, reason: 'forbidden' });
    });
    await nurse.reload();
    const banner = nurse.getByTestId('live-forbidden');
    await banner.waitFor({ timeout: 5000 });
    expect(await banner.textContent()).toContain('pas de reconnexion');
    // Neither the backoff (300 ms, 1 s, 2 s…) nor the network coming back tries again.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    await nurse.evaluate(() => dispatchEvent(new Event('online')));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(attempts).toBe(1);
    expect(await nurse.getByTestId('connection-lost').count()).toBe(0);
    await nurse.context().close();
  });
});
