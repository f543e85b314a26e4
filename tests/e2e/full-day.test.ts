import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stage } from '../../shared';
import { seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { displayToken, openBoard, parisTime, requireBuiltSite, scheduleInThePast, signIn, submitStep } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// A nurse and a radiologist take one patient from admission to discharge on their tablets while the
// wall board, in a third browser context, shows every step as it is taken, pushed live and without a reload.
describe('a whole patient day through the UI, watched live on the board', () => {
  let server: TestServer;
  let browser: Browser;
  let caseId: string;
  let board: Page;
  let nurse: Page;
  let radiologist: Page;
  // Everything before discharge is entered as having happened 30 min ago (observation ≥ 15 min);
  // the freeze ends a minute later (a freeze ended with a temperature lasts at least 30 s), and
  // what follows it with it.
  const earlier = parisTime(30);
  let later = '';

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer();
    const staff = await seedStaff(server);
    caseId = await scheduleInThePast(server, { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' }, 40);
    browser = await launchChromium();
    board = await openBoard(browser, server, displayToken(server));
    await board.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    [nurse, radiologist] = await Promise.all([signIn(browser, server, 'nurse'), signIn(browser, server, 'radiologist')]);
    await Promise.all([nurse.goto(`${server.url}/cases/${caseId}`), radiologist.goto(`${server.url}/cases/${caseId}`)]);
    await nurse.getByTestId('case-stage').waitFor();
    await radiologist.getByTestId('case-stage').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  const card = () => board.getByTestId(`board-card-${caseId}`);

  /**
   * The board shows the stage the tap moved to, pushed live (it never reloads); the tablet that tapped
   * shows it too. `at` null = now.
   * A step that cannot be taken back asks first: `confirm` taps a second time, as a nurse would.
   */
  async function step(page: Page, command: string, expected: Stage | null, at: string | null = earlier, confirm = false) {
    const before = Number(await page.getByTestId('case-view').getAttribute('data-version'));
    await submitStep(page, command, at ?? undefined);
    if (confirm) {
      const submit = page.getByTestId(`submit-${command}`);
      expect(await submit.getAttribute('data-armed')).toBe('true');
      await new Promise((resolve) => setTimeout(resolve, 450));
      await submit.click();
    }
    if (expected) {
      await board
        .locator(`[data-testid="board-card-${caseId}"][data-stage="${expected}"]`)
        .waitFor({ timeout: 5000 })
        .catch(async (error: Error) => {
          const refused = await page.getByTestId('action-error').allTextContents();
          throw new Error(`${command}: ${refused.join(' | ') || error.message}`);
        });
      await page.locator(`[data-testid="case-stage"][data-stage="${expected}"]`).waitFor({ timeout: 2000 });
    } else {
      // Wait for the server's answer (the case's version moves on, or a refusal shows), then check it.
      const answered = async () =>
        (await page.getByTestId('action-error').count()) > 0 || Number(await page.getByTestId('case-view').getAttribute('data-version')) > before;
      await expect.poll(answered, { timeout: 2000 }).toBe(true);
      expect(await page.getByTestId('action-error').allTextContents()).toEqual([]);
    }
  }

  it('shows the scheduled patient in the admission lane', async () => {
    await board.getByTestId('lane-admission').getByTestId(`board-card-${caseId}`).waitFor();
    expect(await card().getAttribute('data-stage')).toBe('scheduled');
  });

  it('nurse: admission, checklist, ready, into room 1', async () => {
    await step(nurse, 'admit', 'admitted');

    const checklist = nurse.getByTestId('form-record_checklist');
    await checklist.getByLabel('Identité vérifiée').check();
    await checklist.getByLabel('Consentement signé').check();
    for (const name of ['anticoagulants', 'antiInflammatories', 'allergies']) await checklist.locator(`input[name="${name}"][value="no"]`).check();
    await checklist.getByLabel('Poids (kg)').fill('72');
    await checklist.getByLabel("Nom de l'accompagnant").fill('Marc Durand');
    await checklist.getByLabel("Téléphone de l'accompagnant").fill('06 12 34 56 78');
    for (const k of ['localInfection', 'raynaud', 'cryoglobulinemia', 'coldUrticaria'])
      await checklist.locator(`input[name="contra-${k}"][value="negative"]`).check();
    await step(nurse, 'record_checklist', null);
    await expect.poll(() => nurse.getByTestId('ready-blockers').count()).toBe(0);

    await step(nurse, 'mark_ready', 'ready');
    await step(nurse, 'enter_room', 'in_room');
    await board.getByTestId('room-column-room-1').getByTestId(`board-card-${caseId}`).waitFor({ timeout: 1000 });
    expect(await board.getByTestId('room-column-room-1').getAttribute('data-status')).toBe('occupied');
  });

  it('radiologist: time-out read aloud, anaesthesia, probe on the planned target, two freeze–thaw cycles, probe out', async () => {
    const timeOut = radiologist.getByTestId('form-confirm_time_out');
    expect(await timeOut.getByTestId('time-out-targets').textContent()).toContain('Droite');
    for (const item of ['Identité confirmée', 'Geste confirmé', 'Allergies revues', 'Anticoagulation revue', 'Imagerie disponible', 'Matériel vérifié'])
      await timeOut.getByText(item, { exact: true }).click();
    await step(radiologist, 'confirm_time_out', null);

    const anaesthesia = radiologist.getByTestId('next-step').getByTestId('form-give_local_anesthesia');
    await anaesthesia.getByLabel('Produit').selectOption('lidocaine');
    await anaesthesia.getByLabel('Volume (mL)').fill('5');
    expect(await anaesthesia.getByTestId('dose-total').textContent()).toContain('50\u00a0mg');
    await step(radiologist, 'give_local_anesthesia', 'local_anesthesia');

    const probe = radiologist.getByTestId('form-position_probe');
    await probe.getByLabel('Guidage').selectOption('ultrasound');
    await probe.getByLabel('Type de sonde').fill('Cryosonde 1,7 mm');
    await probe.getByLabel('Calibre (G)').fill('14');
    await step(radiologist, 'position_probe', 'probe_placement');

    await step(radiologist, 'start_freeze', 'freezing');
    await card().getByTestId('freeze-timer').waitFor({ timeout: 1000 });
    await radiologist.getByTestId('freeze-timer').waitFor();

    await radiologist.getByTestId('form-end_freeze').getByLabel('Température la plus basse (°C)').fill('78');
    later = parisTime(29);
    await step(radiologist, 'end_freeze', 'thawing', later);
    await step(radiologist, 'end_thaw', 'probe_placement', later);
    await expect.poll(() => radiologist.getByTestId('target-cycles').first().textContent()).toContain('1');
    // The unit's usual second cycle (CYCLES_PER_TARGET) is the next step, then the probe comes out.
    await step(radiologist, 'start_freeze', 'freezing', later);
    await radiologist.getByTestId('form-end_freeze').getByLabel('Température la plus basse (°C)').fill('80');
    later = parisTime(28);
    await step(radiologist, 'end_freeze', 'thawing', later);
    await step(radiologist, 'end_thaw', 'probe_placement', later);
    await expect.poll(() => radiologist.getByTestId('target-cycles').first().textContent()).toContain('2');
    await step(radiologist, 'remove_probe', 'probe_removed', later);
  });

  it('nurse: dressing, sign-out, observation, vitals, PADSS, discharge with the escort; the room is cleaned', async () => {
    await step(nurse, 'apply_dressing', 'dressing', later);
    const signOut = nurse.getByTestId('form-confirm_sign_out');
    for (const item of ['Cycles revus', 'Complications revues', 'Consignes transmises']) await signOut.getByText(item, { exact: true }).click();
    await step(nurse, 'confirm_sign_out', null, later);
    await step(nurse, 'start_observation', 'observation', later);
    await board.getByTestId('lane-observation').getByTestId(`board-card-${caseId}`).waitFor({ timeout: 1000 });
    await board.locator('[data-testid="room-column-room-1"][data-status="cleaning"]').waitFor({ timeout: 1000 });

    const vitals = nurse.getByTestId('form-record_vitals');
    await vitals.getByLabel('Fréquence cardiaque (bpm)').fill('72');
    await vitals.getByLabel('PA systolique (mmHg)').fill('125');
    await vitals.getByLabel('PA diastolique (mmHg)').fill('80');
    await vitals.getByLabel('SpO2 (%)').fill('98');
    await step(nurse, 'record_vitals', null, null);

    const padss = nurse.getByTestId('form-record_padss');
    for (const item of ['vitalSigns', 'activity', 'nauseaVomiting', 'pain', 'bleeding']) await padss.locator(`input[name="padss-${item}"][value="2"]`).check();
    await step(nurse, 'record_padss', null, null);

    const discharge = nurse.getByTestId('form-discharge');
    await expect(discharge.getByTestId('escort-name').textContent()).resolves.toBe('Marc Durand');
    await discharge.getByLabel('Accompagnant confirmé à la sortie').check();
    await discharge.getByLabel('Consignes de sortie remises').check();
    await step(nurse, 'discharge', 'discharged', null, true);
    await board.getByTestId('lane-done').getByTestId(`board-card-${caseId}`).waitFor({ timeout: 1000 });

    await nurse.goto(server.url);
    await nurse.getByTestId('room-room-1').getByRole('button', { name: 'Salle prête' }).click();
    await board.locator('[data-testid="room-column-room-1"][data-status="free"]').waitFor({ timeout: 1000 });
  });

  it('never reloaded the board, and the timeline names who did what', async () => {
    expect(await board.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await nurse.goto(`${server.url}/cases/${caseId}`);
    const timeline = nurse.getByTestId('timeline');
    await timeline.locator('[data-event="PatientDischarged"]').waitFor();
    expect(await timeline.locator('li').count()).toBeGreaterThanOrEqual(16);
    expect(await timeline.locator('[data-event="FreezeEnded"]').first().textContent()).toContain('Roche');
  });
});
