import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLERGENS } from '../../shared';
import { Api, COMPLETE_CHECKLIST, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { LIDOCAINE, SIGN_OUT_COMMAND, timeOutOf } from '../support/day';
import { axeViolations, displayToken, openBoard, requireBuiltSite, scheduleInThePast, signIn, submitStep } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// The procedure room's safety moments on the radiologist's and the nurse's tablets: the time-out
// read aloud before the local anaesthetic, the dose against its maximum, the probe on the planned
// side, the sedation watch and the Aldrete score.
describe('the safety moments on the tablets', () => {
  let server: TestServer;
  let browser: Browser;
  let nurseApi: Api;
  let radiologistApi: Api;
  let coordinator: { id: string; name: string; role: 'coordinator' };
  const T5_LEFT = { nerve: 'intercostal', level: 'T5', side: 'left' } as const;
  // 60 kg: plain lidocaine is capped at 4.5 mg/kg, 270 mg.
  const CHECKLIST = { ...COMPLETE_CHECKLIST, weightKg: 60, allergies: { has: true, allergens: ['chlorhexidine'] } };

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer({ ROOMS: 'Salle 1,Salle 2,Salle 3,Salle 4,Salle 5' });
    const staff = await seedStaff(server);
    coordinator = { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' };
    nurseApi = await Api.login(server, 'nurse');
    radiologistApi = await Api.login(server, 'radiologist');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  // One tablet per role for the file, signed in once: each test opens its own case on it.
  const tablets = new Map<string, Promise<Page>>();
  async function signedIn(username: string) {
    const page = await signIn(browser, server, username, { bypassCSP: true });
    page.setDefaultTimeout(5000);
    return page;
  }
  function tablet(username: string) {
    if (!tablets.has(username)) tablets.set(username, signedIn(username));
    return tablets.get(username)!;
  }

  /** A case planned on intercostal T5 left, taken into `room`, its steps dated from `minutesAgo` minutes ago. */
  async function inRoom(room: string, minutesAgo = 60, at = (m: number) => new Date(Date.now() - m * 60_000).toISOString(), checklist: Record<string, unknown> = CHECKLIST) {
    const id = await scheduleInThePast(server, coordinator, minutesAgo, { plannedRoomId: room, plannedTargets: [T5_LEFT] });
    for (const [m, command] of [
      [minutesAgo - 1, { type: 'admit' }],
      [minutesAgo - 2, { type: 'record_checklist', ...checklist }],
      [minutesAgo - 3, { type: 'mark_ready' }],
      [minutesAgo - 4, { type: 'enter_room', roomId: room }],
    ] as const) {
      await nurseApi.command(id, { ...command, occurredAt: at(m) });
    }
    return id;
  }

  const nextStep = (page: Page, command: string) => page.locator(`[data-testid="next-step"][data-command="${command}"]`).waitFor();

  it('records the allergens as coded ticks with their labels, and the weight, from the checklist', async () => {
    const id = await scheduleInThePast(server, coordinator, 5, { plannedRoomId: 'room-1', plannedTargets: [T5_LEFT] });
    await nurseApi.command(id, { type: 'admit' });
    const nurse = await tablet('nurse');
    await nurse.goto(`${server.url}/cases/${id}`);
    const checklist = nurse.getByTestId('form-record_checklist');
    await checklist.locator('input[name="allergies"][value="yes"]').check();
    const allergens = checklist.locator('input[name="allergens"]');
    expect(await allergens.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual([...ALLERGENS]);
    await checklist.getByLabel('Chlorhexidine').check();
    await checklist.getByLabel('Autre', { exact: true }).check();
    await checklist.getByLabel('Détail des allergies').fill('Sparadrap');
    await checklist.getByLabel('Poids (kg)').fill('64,5');
    await submitStep(nurse, 'record_checklist');
    await nurse.getByTestId('timeline').locator('[data-event="ChecklistRecorded"]').waitFor();
    const saved = (await nurseApi.get(`/api/cases/${id}`)).body.case.checklist;
    expect(saved.allergies).toEqual({ has: true, allergens: ['chlorhexidine', 'other'], details: 'Sparadrap' });
    expect(saved.weightKg).toBe(64.5);
  });

  it('refuses the local anaesthetic before the time-out, then walks the time-out, then the anaesthetic goes', async () => {
    const id = await inRoom('room-1');
    const radiologist = await tablet('radiologist');
    await radiologist.goto(`${server.url}/cases/${id}`);
    await nextStep(radiologist, 'confirm_time_out');

    // Tried first anyway, from the other actions: the server's reason, in French.
    await radiologist.getByTestId('other-actions').getByTestId('action-give_local_anesthesia').click();
    const early = radiologist.getByTestId('form-give_local_anesthesia');
    await early.getByLabel('Volume (mL)').fill('5');
    await submitStep(radiologist, 'give_local_anesthesia');
    await expect.poll(() => early.getByTestId('action-error').textContent()).toContain("Faites la pause avant ponction (time-out) avant l'anesthésie locale.");
    expect(await radiologist.getByTestId('case-stage').getAttribute('data-stage')).toBe('in_room');

    // The sedation form names the allergens on file too.
    await radiologist.getByTestId('other-actions').getByTestId('action-give_sedation').click();
    expect(await radiologist.locator('#form-panel-give_sedation').getByTestId('allergens-on-file').textContent()).toContain('Chlorhexidine');

    // The time-out screen: identity large, the target with its side in words and drawn, the allergen.
    const timeOut = radiologist.getByTestId('form-confirm_time_out');
    expect(await timeOut.getByTestId('time-out-name').textContent()).toBe('DURAND Hélène');
    const identity = (await timeOut.getByTestId('time-out-identity').textContent()) ?? '';
    expect(identity).toContain('1958');
    expect(identity).toMatch(/MRN-/);
    const target = timeOut.getByTestId('time-out-targets').locator('li');
    expect(await target.count()).toBe(1);
    expect(await target.textContent()).toContain('T5');
    expect(await target.textContent()).toContain('Gauche');
    expect(await target.locator('svg').getAttribute('data-side')).toBe('left');
    const allergies = timeOut.getByTestId('time-out-allergies');
    expect(await allergies.getAttribute('data-has')).toBe('true');
    expect(await allergies.textContent()).toContain('Chlorhexidine');
    expect(await allergies.locator('li').evaluate((li) => getComputedStyle(li).color)).toBe('rgb(155, 28, 19)');
    expect(await timeOut.getByTestId('time-out-anticoagulation').textContent()).toContain("Pas d’anticoagulant");

    // Not sendable until every item is ticked; one tap each.
    const done = timeOut.getByTestId('submit-confirm_time_out');
    expect(await done.textContent()).toContain('Time-out effectué');
    expect(await done.isDisabled()).toBe(true);
    expect(await axeViolations(radiologist)).toEqual([]);
    for (const item of ['Identité confirmée', 'Geste confirmé', 'Site marqué', 'Allergies revues', 'Anticoagulation revue', 'Imagerie disponible', 'Matériel vérifié'])
      await timeOut.getByText(item, { exact: true }).click();
    expect(await done.isDisabled()).toBe(false);
    await done.click();
    await nextStep(radiologist, 'give_local_anesthesia');
    await radiologist.getByTestId('timeline').locator('[data-event="TimeOutConfirmed"]').waitFor();

    const anaesthesia = radiologist.getByTestId('next-step').getByTestId('form-give_local_anesthesia');
    await anaesthesia.getByLabel('Volume (mL)').fill('5');
    expect(await anaesthesia.getByTestId('dose-total').textContent()).toContain('50\u00a0mg');
    await submitStep(radiologist, 'give_local_anesthesia');
    await radiologist.locator('[data-testid="case-stage"][data-stage="local_anesthesia"]').waitFor();
  });

  it('refuses the probe on the other side, and takes an off-plan target with the reason, shown as such', async () => {
    const id = await inRoom('room-2');
    for (const command of [timeOutOf([T5_LEFT]), LIDOCAINE]) await radiologistApi.command(id, command);
    const radiologist = await tablet('radiologist');
    await radiologist.goto(`${server.url}/cases/${id}`);
    const probe = radiologist.getByTestId('form-position_probe');
    await probe.waitFor();
    await probe.getByLabel('Autre cible').check();
    await probe.locator('select:has(option[value="genicular"])').selectOption('intercostal');
    await probe.getByLabel('Niveau (facultatif)').fill('T5');
    await probe.locator('select:has(option[value="bilateral"])').selectOption('right');
    await probe.getByLabel('Guidage').selectOption('ultrasound');
    await probe.getByLabel('Type de sonde').fill('Cryosonde');
    await probe.getByLabel('Calibre (G)').fill('14');
    expect(await probe.getByTestId('off-plan-hint').count()).toBe(0);
    await submitStep(radiologist, 'position_probe');
    await expect.poll(() => probe.getByTestId('action-error').textContent()).toContain('Mauvais côté');

    await probe.locator('select:has(option[value="genicular"])').selectOption('genicular');
    await probe.getByLabel('Niveau (facultatif)').fill('');
    await probe.getByTestId('off-plan-hint').waitFor();
    await probe.getByLabel('Motif de la cible hors plan').fill('Douleur du genou droit découverte à l’examen');
    await submitStep(radiologist, 'position_probe');
    await radiologist.locator('[data-testid="case-stage"][data-stage="probe_placement"]').waitFor();
    const offPlan = radiologist.getByTestId('procedure-targets').locator('li[data-off-plan="true"]');
    await expect.poll(() => offPlan.textContent()).toContain('hors plan');
    expect(await offPlan.textContent()).toContain('Douleur du genou droit');
  });

  it('warns past 80 % of the maximum dose, then shows the refusal over it with the total and the maximum in mg', async () => {
    const id = await inRoom('room-3');
    for (const command of [timeOutOf([T5_LEFT]), LIDOCAINE]) await radiologistApi.command(id, command);
    const radiologist = await tablet('radiologist');
    await radiologist.goto(`${server.url}/cases/${id}`);
    await nextStep(radiologist, 'position_probe');
    const open = async () => {
      await radiologist.getByTestId('other-actions').getByTestId('action-give_local_anesthesia').click();
      const form = radiologist.getByTestId('form-give_local_anesthesia');
      await form.waitFor();
      return form;
    };

    // 50 mg given + 180 mg = 230 mg of 270: 85 %, a warning and a question before sending.
    let form = await open();
    expect(await form.getByTestId('allergens-on-file').textContent()).toContain('Chlorhexidine');
    await form.getByLabel('Volume (mL)').fill('18');
    const total = form.getByTestId('dose-total');
    expect(await total.getAttribute('data-level')).toBe('warning');
    expect(await total.textContent()).toContain('230\u00a0mg');
    expect(await total.textContent()).toContain('270\u00a0mg');
    expect(await total.textContent()).toContain('Plus de 80\u00a0% de la dose maximale');
    expect(await axeViolations(radiologist)).toEqual([]);
    const submit = form.getByTestId('submit-give_local_anesthesia');
    await submit.click();
    expect(await submit.getAttribute('data-armed')).toBe('true');
    expect(await form.getByTestId('confirm-give_local_anesthesia').textContent()).toContain('Plus de 80\u00a0%');
    await new Promise((resolve) => setTimeout(resolve, 450));
    const version = Number(await radiologist.getByTestId('case-view').getAttribute('data-version'));
    await submit.click();
    await expect.poll(async () => Number(await radiologist.getByTestId('case-view').getAttribute('data-version'))).toBeGreaterThan(version);

    // 5 mL more: 280 mg of 270. Confirmed on the tablet, refused by the server with both figures.
    form = await open();
    await form.getByLabel('Volume (mL)').fill('5');
    expect(await form.getByTestId('dose-total').getAttribute('data-level')).toBe('exceeded');
    await form.getByTestId('submit-give_local_anesthesia').click();
    await new Promise((resolve) => setTimeout(resolve, 450));
    await form.getByTestId('submit-give_local_anesthesia').click();
    const refusal = form.getByTestId('action-error');
    await expect.poll(() => refusal.textContent()).toContain('Dose maximale dépassée pour Lidocaïne');
    expect(await refusal.textContent()).toContain('280 mg au total pour un maximum de 270 mg (60 kg)');
    expect((await radiologistApi.get(`/api/cases/${id}`)).body.case.localAnesthesia).toHaveLength(2);
  });

  it('names an amide allergy on the anaesthesia form, refuses the drug without a reason, and takes it with the radiologist’s', async () => {
    const amide = { ...CHECKLIST, allergies: { has: true, allergens: ['local_anesthetic_amide'] } };
    const id = await inRoom('room-5', 60, undefined, amide);
    await radiologistApi.command(id, timeOutOf([T5_LEFT]));
    const radiologist = await tablet('radiologist');
    await radiologist.goto(`${server.url}/cases/${id}`);
    const form = radiologist.getByTestId('next-step').getByTestId('form-give_local_anesthesia');
    await expect.poll(() => form.getByTestId('allergy-conflict').textContent()).toContain('Anesthésiques locaux (amides)');
    await form.getByLabel('Volume (mL)').fill('5');
    await submitStep(radiologist, 'give_local_anesthesia');
    await expect.poll(() => form.getByTestId('action-error').textContent()).toContain('Allergie connue (Anesthésiques locaux (amides))');
    await form.getByLabel("Motif de passer outre l'allergie").fill('Allergie au conservateur, lidocaïne sans conservateur tolérée');
    await submitStep(radiologist, 'give_local_anesthesia');
    await radiologist.locator('[data-testid="case-stage"][data-stage="local_anesthesia"]').waitFor();
    const given = (await radiologistApi.get(`/api/cases/${id}`)).body.case.localAnesthesia;
    expect(given[0].allergyOverrideReason).toContain('sans conservateur');
  });

  it('flags sedation vitals overdue on the case, the list and the board (no name on the wall), then asks the Aldrete score', async () => {
    const at = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    const id = await inRoom('room-4', 90, at);
    await nurseApi.command(id, { type: 'give_sedation', drug: 'Midazolam', dose: '1 mg', occurredAt: at(80) });
    const nurse = await tablet('nurse');
    await nurse.goto(`${server.url}/cases/${id}`);
    await expect.poll(() => nurse.getByTestId('case-alerts').textContent()).toContain('Surveillance sédation en retard');
    await nurse.goto(server.url);
    const row = nurse.getByTestId(`case-row-${id}`);
    await expect.poll(() => row.textContent()).toContain('Surveillance sédation en retard');
    const board = await openBoard(browser, server, displayToken(server));
    const card = board.getByTestId(`board-card-${id}`);
    await expect.poll(() => card.textContent()).toContain('Surveillance sédation en retard');
    const wall = (await board.content()).toLowerCase();
    const patient = (await nurseApi.get(`/api/cases/${id}`)).body.case.patient;
    for (const secret of [patient.lastName, patient.mrn, patient.birthDate]) expect(wall).not.toContain(String(secret).toLowerCase());

    // The procedure, the sign-out and the observation, up to the first vitals: then the Aldrete score.
    const steps: [Api, Record<string, unknown>, number][] = [
      [nurseApi, timeOutOf([T5_LEFT]), 79],
      [radiologistApi, LIDOCAINE, 78],
      [radiologistApi, { type: 'position_probe', target: T5_LEFT, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 } }, 77],
      [radiologistApi, { type: 'start_freeze', gas: 'n2o', plannedSeconds: 120 }, 76],
      [radiologistApi, { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' }, 74],
      [radiologistApi, { type: 'end_thaw' }, 73],
      [radiologistApi, { type: 'remove_probe' }, 72],
      [nurseApi, { type: 'apply_dressing' }, 71],
      [nurseApi, SIGN_OUT_COMMAND, 70],
      [nurseApi, { type: 'start_observation' }, 69],
      [nurseApi, { type: 'record_vitals', heartRate: 70, systolic: 120, diastolic: 75, spo2: 98 }, 1],
    ];
    for (const [api, command, m] of steps) await api.command(id, { ...command, occurredAt: at(m) });
    await nurse.goto(`${server.url}/cases/${id}`);
    await nextStep(nurse, 'record_aldrete');
    const aldrete = nurse.getByTestId('form-record_aldrete');
    for (const item of ['activity', 'respiration', 'circulation', 'consciousness', 'oxygenSaturation'])
      await aldrete.locator(`input[name="aldrete-${item}"][value="2"]`).check();
    expect(await aldrete.getByTestId('aldrete-total').textContent()).toContain('10/10');
    await submitStep(nurse, 'record_aldrete');
    await nextStep(nurse, 'record_padss');
    await board.context().close();
  });
});
