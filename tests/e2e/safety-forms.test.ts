import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../shared';
import { Api, COMPLETE_CHECKLIST, seedStaff } from '../support/api';
import { LIDOCAINE, SIGN_OUT_COMMAND, sendSpaced, timeOutOf } from '../support/day';
import { launchChromium } from '../support/browser';
import { axeViolations, requireBuiltSite, scheduleInThePast, signIn, submitStep } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// The forms the safety rules added to, as they stand until the dedicated screens come: allergens and
// weight in the checklist, the coded anaesthetic refused past its maximum, the Aldrete score.
describe('safety fields on the tablet forms', () => {
  let server: TestServer;
  let browser: Browser;
  let nurseApi: Api;
  let radiologistApi: Api;
  let coordinator: Actor;
  const target = { nerve: 'genicular', side: 'right' } as const;
  // Any console error or uncaught exception on a page fails the test that opened it, but for the
  // browser's own network line about the 422 a test provokes on purpose.
  const errors: string[] = [];
  const watch = (page: Page): Page => {
    page.on('console', (m) => m.type() === 'error' && !/status of 422/.test(m.text()) && errors.push(`${page.url()}: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    return page;
  };
  afterEach(() => {
    expect(errors.splice(0), 'console errors').toEqual([]);
  });

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer({ ROOMS: 'Salle 1,Salle 2,Salle 3,Salle 4,Salle 5,Salle 6' });
    const staff = await seedStaff(server);
    coordinator = { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' };
    [nurseApi, radiologistApi] = await Promise.all([Api.login(server, 'nurse'), Api.login(server, 'radiologist')]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('records the allergens ticked and the weight typed in the checklist', async () => {
    const room = await nurseApi.freeRoom();
    const id = scheduleInThePast(server, coordinator, 10, { plannedRoomId: room });
    await nurseApi.command(id, { type: 'admit' });
    const nurse = watch(await signIn(browser, server, 'nurse', { bypassCSP: true }));
    await nurse.goto(`${server.url}/cases/${id}`);
    const checklist = nurse.getByTestId('form-record_checklist');
    await checklist.locator('input[name="allergies"][value="yes"]').check();
    await checklist.getByLabel('Chlorhexidine').check();
    await checklist.getByLabel('Latex').check();
    await checklist.getByLabel('Poids (kg)').fill('58,5');
    await submitStep(nurse, 'record_checklist');
    await expect.poll(async () => (await nurseApi.get(`/api/cases/${id}`)).body.case.checklist).toMatchObject({
      weightKg: 58.5,
      allergies: { has: true, allergens: ['chlorhexidine', 'latex'] },
    });
    expect(await axeViolations(nurse)).toEqual([]);
    await nurse.context().close();
  });

  it('refuses an overdose of the coded anaesthetic with the total and the maximum, then takes a safe dose', async () => {
    const room = await nurseApi.freeRoom();
    const id = scheduleInThePast(server, coordinator, 20, { plannedRoomId: room, plannedTargets: [target] });
    await sendSpaced({ nurse: nurseApi }, id, [
      ['nurse', { type: 'admit' }],
      ['nurse', { type: 'record_checklist', ...COMPLETE_CHECKLIST }],
      ['nurse', { type: 'mark_ready' }],
      ['nurse', { type: 'enter_room', roomId: room }],
      ['nurse', timeOutOf([target])],
    ]);
    await radiologistApi.command(id, LIDOCAINE);
    const radiologist = watch(await signIn(browser, server, 'radiologist', { bypassCSP: true }));
    await radiologist.goto(`${server.url}/cases/${id}`);
    await radiologist.getByTestId('other-actions').getByTestId('action-give_local_anesthesia').click();
    const form = radiologist.getByTestId('form-give_local_anesthesia');
    await form.getByLabel('Produit').selectOption('lidocaine');
    await form.getByLabel('Concentration (%)').fill('1');
    await form.getByLabel('Volume (mL)').fill('100');
    await submitStep(radiologist, 'give_local_anesthesia');
    const refusal = form.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toContain('Dose maximale dépassée pour Lidocaïne\u00a0: 1050 mg au total pour un maximum de 300 mg (72 kg).');
    expect(await axeViolations(radiologist)).toEqual([]);
    expect((await radiologistApi.get(`/api/cases/${id}`)).body.case.localAnesthesia).toHaveLength(1);

    await form.getByLabel('Volume (mL)').fill('5');
    await submitStep(radiologist, 'give_local_anesthesia');
    await expect.poll(async () => (await radiologistApi.get(`/api/cases/${id}`)).body.case.localAnesthesia.length).toBe(2);
    await radiologist.context().close();
  });

  it('asks a reason to give an amide anaesthetic to a patient allergic to amides, and takes it', async () => {
    const room = await nurseApi.freeRoom();
    const id = scheduleInThePast(server, coordinator, 20, { plannedRoomId: room, plannedTargets: [target] });
    await sendSpaced({ nurse: nurseApi }, id, [
      ['nurse', { type: 'admit' }],
      ['nurse', { type: 'record_checklist', ...COMPLETE_CHECKLIST, allergies: { has: true, allergens: ['local_anesthetic_amide'] } }],
      ['nurse', { type: 'mark_ready' }],
      ['nurse', { type: 'enter_room', roomId: room }],
      ['nurse', timeOutOf([target])],
    ]);
    const radiologist = watch(await signIn(browser, server, 'radiologist'));
    await radiologist.goto(`${server.url}/cases/${id}`);
    const form = radiologist.getByTestId('next-step').getByTestId('form-give_local_anesthesia');
    await form.getByLabel('Volume (mL)').fill('5');
    await submitStep(radiologist, 'give_local_anesthesia');
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('Allergie connue (Anesthésiques locaux (amides))');
    await form.getByLabel("Motif de passer outre l'allergie").fill('Allergie non confirmée au bilan de 2023');
    await submitStep(radiologist, 'give_local_anesthesia');
    await radiologist.locator('[data-testid="case-stage"][data-stage="local_anesthesia"]').waitFor({ timeout: 3000 });
    expect((await radiologistApi.get(`/api/cases/${id}`)).body.case.localAnesthesia[0].allergyOverrideReason).toBe('Allergie non confirmée au bilan de 2023');
    await radiologist.context().close();
  });

  it('refuses the other side of the planned nerve, and asks a reason for a nerve outside the plan, which then joins the targets', async () => {
    const room = await nurseApi.freeRoom();
    const id = scheduleInThePast(server, coordinator, 20, { plannedRoomId: room, plannedTargets: [target] });
    await sendSpaced({ nurse: nurseApi }, id, [
      ['nurse', { type: 'admit' }],
      ['nurse', { type: 'record_checklist', ...COMPLETE_CHECKLIST }],
      ['nurse', { type: 'mark_ready' }],
      ['nurse', { type: 'enter_room', roomId: room }],
      ['nurse', timeOutOf([target])],
    ]);
    await radiologistApi.command(id, LIDOCAINE);
    const radiologist = watch(await signIn(browser, server, 'radiologist'));
    await radiologist.goto(`${server.url}/cases/${id}`);
    const form = radiologist.getByTestId('next-step').getByTestId('form-position_probe');
    await form.getByLabel('Autre cible').check();
    await form.getByRole('combobox', { name: /^Nerf/ }).selectOption('genicular');
    await form.getByRole('combobox', { name: /^Côté/ }).selectOption('left');
    await form.getByLabel('Guidage').selectOption('ultrasound');
    await form.getByLabel('Type de sonde').fill('Cryosonde 1,7 mm');
    await form.getByLabel('Calibre (G)').fill('14');
    expect(await form.locator('textarea[name="offPlanReason"]').count()).toBe(0);
    await submitStep(radiologist, 'position_probe');
    await expect.poll(() => radiologist.getByTestId('next-step').getByTestId('action-error').textContent()).toContain('Mauvais côté');

    await form.getByRole('combobox', { name: /^Nerf/ }).selectOption('intercostal');
    await form.getByLabel('Niveau (facultatif)').fill('T6');
    await form.getByLabel('Motif de la cible hors plan').fill('Douleur intercostale associée');
    await submitStep(radiologist, 'position_probe');
    await radiologist.locator('[data-testid="case-stage"][data-stage="probe_placement"]').waitFor({ timeout: 3000 });
    expect((await radiologistApi.get(`/api/cases/${id}`)).body.case.offPlanTargets).toMatchObject([
      { target: { nerve: 'intercostal', level: 'T6', side: 'left' }, reason: 'Douleur intercostale associée' },
    ]);
    await radiologist.context().close();
  });

  it('records the Aldrete score of a sedated patient in observation as the next step', async () => {
    const room = await nurseApi.freeRoom();
    const id = scheduleInThePast(server, coordinator, 40, { plannedRoomId: room, plannedTargets: [target] });
    await sendSpaced({ nurse: nurseApi, radiologist: radiologistApi }, id, [
      ['nurse', { type: 'admit' }],
      ['nurse', { type: 'record_checklist', ...COMPLETE_CHECKLIST }],
      ['nurse', { type: 'mark_ready' }],
      ['nurse', { type: 'enter_room', roomId: room }],
      ['radiologist', { type: 'give_sedation', drug: 'Midazolam', dose: '1 mg' }],
      ['nurse', timeOutOf([target])],
      ['radiologist', LIDOCAINE],
      ['radiologist', { type: 'position_probe', target, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 } }],
      ['radiologist', { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 }],
      ['radiologist', { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' }],
      ['radiologist', { type: 'end_thaw' }],
      ['radiologist', { type: 'remove_probe' }],
      ['nurse', { type: 'apply_dressing' }],
      ['nurse', SIGN_OUT_COMMAND],
      ['nurse', { type: 'start_observation' }],
      ['nurse', { type: 'record_vitals', heartRate: 72, systolic: 125, diastolic: 78, spo2: 98 }],
    ]);
    const nurse = watch(await signIn(browser, server, 'nurse'));
    await nurse.goto(`${server.url}/cases/${id}`);
    await nurse.locator('[data-testid="next-step"][data-command="record_aldrete"]').waitFor();
    const form = nurse.getByTestId('form-record_aldrete');
    for (const label of ['Activité', 'Respiration', 'Circulation', 'Conscience', 'Saturation en oxygène']) await form.getByLabel(label).fill('2');
    await submitStep(nurse, 'record_aldrete');
    await nurse.locator('[data-testid="next-step"][data-command="record_padss"]').waitFor();
    expect((await nurseApi.get(`/api/cases/${id}`)).body.case.aldrete).toMatchObject({ total: 10, by: { role: 'nurse' } });
    await nurse.context().close();
  });
});
