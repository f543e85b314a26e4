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

  it('a Raynaud typo: saved positive, the re-save says the way out, the buttons named exist, cancelling is never the big button', async () => {
    const checklist = nurse.getByTestId('form-record_checklist');
    await checklist.locator('input[type=checkbox]').nth(0).check();
    await checklist.locator('input[type=checkbox]').nth(1).check();
    for (const name of ['anticoagulants', 'antiInflammatories', 'allergies']) await checklist.locator(`input[name="${name}"][value="no"]`).check();
    await checklist.getByLabel("Nom de l'accompagnant").fill('Marc Roux');
    await checklist.getByLabel("Téléphone de l'accompagnant").fill('06 12 34 56 78');
    for (const key of ['localInfection', 'cryoglobulinemia', 'coldUrticaria']) await checklist.locator(`input[name="contra-${key}"][value="negative"]`).check();
    await checklist.locator('input[name="contra-raynaud"][value="positive"]').check();
    // As she did: the big button saves the checklist first, then is refused.
    await nurse.getByTestId('next-step').getByTestId('submit-mark_ready').click();
    await nurse.getByTestId('other-actions').getByTestId('action-cancel').waitFor();
    // The refusal's answer re-renders the panel: the next step goes once the positive screening is on file.
    await expect.poll(() => nurse.getByTestId('next-step').count()).toBe(0);
    expect(await nurse.getByTestId('action-cancel').evaluate((b) => b.classList.contains('danger'))).toBe(true);

    // Every button a hint names is on the screen.
    const named = async () => {
      const texts = (await nurse.locator('[data-testid="case-view"] p, [data-testid="case-view"] li').allTextContents()).join('\n');
      const buttons = (await nurse.locator('button:visible').allTextContents()).map((t) => t.trim());
      const names = [...texts.matchAll(/«\u00a0(.+?)\u00a0»/g)].map((m) => m[1]!);
      for (const name of names) expect(buttons.some((b) => b.startsWith(name)), `a button "${name}"`).toBe(true);
      return names.length;
    };
    await named();

    await checklist.locator('input[name="contra-raynaud"][value="negative"]').check();
    await submitStep(nurse, 'record_checklist');
    const refusal = checklist.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toContain('Corriger la dernière étape');
    expect(await named()).toBeGreaterThan(0);
  });

  it('the correction of that save keeps the escort and every other answer; then, in English, the patient is made ready', async () => {
    await nurse.getByTestId('action-correct_last').click();
    const correction = nurse.getByTestId('form-correct_last');
    await correction.getByLabel('Motif').fill('Raynaud coché par erreur');
    await submitStep(nurse, 'correct_last');
    await nurse.locator('[data-testid="next-step"][data-command="mark_ready"]').waitFor();
    await nurse.getByTestId('timeline').locator('[data-event="LastCorrected"]').waitFor();
    const checklist = nurse.getByTestId('form-record_checklist');
    expect(await checklist.getByLabel("Nom de l'accompagnant").inputValue()).toBe('Marc Roux');
    expect(await checklist.locator('input[name="allergies"][value="no"]').isChecked()).toBe(true);
    const saved = (await (await Api.login(server, 'nurse')).get(`/api/cases/${caseId}`)).body.case.checklist;
    expect(saved.escort).toEqual({ name: 'Marc Roux', phone: '06 12 34 56 78' });
    expect(saved.contraindications.raynaud).toBeUndefined();

    await nurse.getByTestId('lang-en').click();
    await checklist.locator('input[name="contra-raynaud"][value="negative"]').check();
    await submitStep(nurse, 'mark_ready');
    await nurse.locator('[data-testid="case-stage"][data-stage="ready"]').waitFor();
  });
});
