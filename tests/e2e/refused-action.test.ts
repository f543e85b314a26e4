import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, newCaseBody, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { requireBuiltSite, signIn, submitStep } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// A refused step says why, in the nurse's language, right next to the button she pressed.
describe('a refused action shows its reason', () => {
  let server: TestServer;
  let browser: Browser;
  let nurse: Page;
  let caseId: string;

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer();
    await seedStaff(server);
    const coordinator = await Api.login(server, 'coordinator');
    caseId = (await coordinator.post('/api/cases', newCaseBody())).body.case.id;
    await (await Api.login(server, 'nurse')).command(caseId, { type: 'admit' });
    browser = await launchChromium();
    nurse = await signIn(browser, server, 'nurse');
    await nurse.goto(`${server.url}/cases/${caseId}`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('lists what blocks "Déclarer prêt" before the tap, and shows the server\'s reason after it', async () => {
    const blockers = nurse.getByTestId('ready-blockers');
    await blockers.waitFor();
    expect(await blockers.textContent()).toContain("L'identité du patient n'est pas vérifiée.");

    await submitStep(nurse, 'mark_ready');
    const refusal = nurse.getByTestId('next-step').getByTestId('action-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("L'identité du patient n'est pas vérifiée.");
    expect(await nurse.getByTestId('case-stage').getAttribute('data-stage')).toBe('admitted');
  });

  it('refuses a positive contraindication and then offers only the cancellation', async () => {
    const checklist = nurse.getByTestId('form-record_checklist');
    await checklist.locator('input[name="contra-raynaud"][value="positive"]').check();
    await submitStep(nurse, 'record_checklist');
    await nurse.locator('[data-testid="next-step"][data-command="cancel"]').waitFor();
    expect(await nurse.getByTestId('other-actions').getByTestId('action-mark_ready').count()).toBe(0);
  });

  it('corrects the last step with a reason; in English the refusal reads in English', async () => {
    await nurse.getByTestId('lang-en').click();
    await nurse.getByTestId('action-correct_last').click();
    const correction = nurse.getByTestId('form-correct_last');
    await correction.getByLabel('Reason').fill('Raynaud ticked by mistake');
    await submitStep(nurse, 'correct_last');
    await nurse.locator('[data-testid="next-step"][data-command="mark_ready"]').waitFor();
    await nurse.getByTestId('timeline').locator('[data-event="LastCorrected"]').waitFor();

    await submitStep(nurse, 'mark_ready');
    const refusal = nurse.getByTestId('next-step').getByTestId('action-error');
    await expect.poll(() => refusal.textContent()).toContain('Patient identity not verified.');
  });
});
