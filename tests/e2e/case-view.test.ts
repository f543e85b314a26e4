import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ANESTHETIC_AGENTS, SEDATION_SUGGESTIONS, type Actor } from '../../shared';
import { executeCaseCommand } from '../../server/cases/execute';
import { Api, COMPLETE_CHECKLIST, newCaseBody, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { LIDOCAINE, SIGN_OUT_COMMAND, sendSpaced, timeOutOf } from '../support/day';
import { requireBuiltSite, scheduleInThePast, signIn } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// The case view while other people work on the same patient: what this nurse typed stays, a refusal
// goes once it no longer applies, "Déclarer prêt" saves the ticked checklist first, the header flags
// what the board flags, and a step that cannot be undone asks first.
describe('the case view in a busy unit', () => {
  let server: TestServer;
  let browser: Browser;
  let nurseApi: Api;
  let radiologistApi: Api;
  let coordinatorApi: Api;
  let nurseActor: Actor;
  let coordinatorActor: Actor;
  let nurse: Page;
  // One radiologist tablet for the file: each test opens its own case on it, as she would.
  let radiologist: Page;
  let caseId: string;

  const stage = (page: Page) => page.getByTestId('case-stage').getAttribute('data-stage');
  const version = async (page: Page) => Number(await page.getByTestId('case-view').getAttribute('data-version'));
  // Each test that takes a patient into a room takes one nobody else is using.
  const freeRoom = () => nurseApi.freeRoom();
  /** A new case in a free room, one complete freeze/thaw cycle done on `treated`, the probe still in. */
  // Booked in the past and played a minute a step, so the freeze lasts long enough to count.
  async function afterOneCycle(plannedTargets: { nerve: string; side: 'left' | 'right' | 'bilateral' | 'midline' }[], treated: { nerve: string; side: string }) {
    const room = await freeRoom();
    const id = await scheduleInThePast(server, coordinatorActor, 30, { plannedRoomId: room, plannedTargets });
    await sendSpaced({ nurse: nurseApi, radiologist: radiologistApi }, id, [
      ['nurse', { type: 'admit' }],
      ['nurse', { type: 'record_checklist', ...COMPLETE_CHECKLIST }],
      ['nurse', { type: 'mark_ready' }],
      ['nurse', { type: 'enter_room', roomId: room }],
      ['nurse', timeOutOf(plannedTargets)],
      ['radiologist', LIDOCAINE],
      ['radiologist', { type: 'position_probe', target: treated, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 } }],
      ['radiologist', { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 }],
      ['radiologist', { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' }],
      ['radiologist', { type: 'end_thaw' }],
    ]);
    return id;
  }
  /** A new case in a free room, in the room after the time-out (the next step is the local anaesthesia). */
  async function inRoom(plannedTargets = [{ nerve: 'genicular', side: 'right' }]) {
    const room = await freeRoom();
    const id = (await coordinatorApi.post('/api/cases', newCaseBody({ plannedRoomId: room, plannedTargets }))).body.case.id as string;
    for (const command of [{ type: 'admit' }, { type: 'record_checklist', ...COMPLETE_CHECKLIST }, { type: 'mark_ready' }, { type: 'enter_room', roomId: room }, timeOutOf(plannedTargets)])
      await nurseApi.command(id, command);
    return id;
  }
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    requireBuiltSite();
    // One cycle per target, so a single cycle moves the flow on (the second cycle is walked in freeze-cycle.test.ts).
    server = await startServer({ ROOMS: 'Salle 1,Salle 2,Salle 3,Salle 4,Salle 5,Salle 6,Salle 7,Salle 8,Salle 9', CYCLES_PER_TARGET: '1' });
    const staff = await seedStaff(server);
    nurseActor = { id: staff.nurse.id, name: staff.nurse.displayName, role: 'nurse' };
    coordinatorActor = { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' };
    [nurseApi, radiologistApi, coordinatorApi] = await Promise.all([Api.login(server, 'nurse'), Api.login(server, 'radiologist'), Api.login(server, 'coordinator')]);
    caseId = (await coordinatorApi.post('/api/cases', newCaseBody())).body.case.id;
    await nurseApi.command(caseId, { type: 'admit' });
    browser = await launchChromium();
    [nurse, radiologist] = await Promise.all([signIn(browser, server, 'nurse'), signIn(browser, server, 'radiologist')]);
    await nurse.goto(`${server.url}/cases/${caseId}`);
    await nurse.getByTestId('form-record_checklist').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('takes a refusal away once someone else moves the case on, and flags abnormal vitals in the header', async () => {
    await nurse.getByTestId('submit-mark_ready').click();
    const refusal = nurse.getByTestId('next-step').getByTestId('action-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("L'identité du patient n'est pas vérifiée.");

    // A colleague records vitals on her own tablet: the old refusal is about a case that has changed.
    await nurseApi.command(caseId, { type: 'record_vitals', heartRate: 128, systolic: 150, diastolic: 85, spo2: 97 });
    await refusal.waitFor({ state: 'detached', timeout: 3000 });
    const alerts = nurse.getByTestId('case-alerts');
    await alerts.waitFor({ timeout: 3000 });
    expect(await alerts.textContent()).toContain('Constantes anormales');
  });

  it('keeps what this nurse ticked when a colleague saves part of the checklist, and says the escort needs both fields', async () => {
    const checklist = nurse.getByTestId('form-record_checklist');
    await checklist.getByLabel('Identité vérifiée').check();
    await checklist.getByLabel("Nom de l'accompagnant").fill('Marc Durand');
    await nurse.getByTestId('escort-incomplete').waitFor();
    await nurse.getByTestId('checklist-unsaved').waitFor();

    const seen = await version(nurse);
    await nurseApi.command(caseId, { type: 'record_checklist', consentSigned: true, allergies: { has: false } });
    await expect.poll(() => version(nurse)).toBeGreaterThan(seen);
    // Hers are kept; the ones she had not touched show the colleague's answers.
    expect(await checklist.getByLabel('Identité vérifiée').isChecked()).toBe(true);
    expect(await checklist.getByLabel("Nom de l'accompagnant").inputValue()).toBe('Marc Durand');
    expect(await checklist.getByLabel('Consentement signé').isChecked()).toBe(true);
    expect(await checklist.locator('input[name="allergies"][value="no"]').isChecked()).toBe(true);
  });

  it('shows what still blocks "Déclarer prêt" as she ticks, and saves the checklist before marking ready', async () => {
    const checklist = nurse.getByTestId('form-record_checklist');
    await checklist.getByLabel("Téléphone de l'accompagnant").fill('06 12 34 56 78');
    expect(await nurse.getByTestId('escort-incomplete').count()).toBe(0);
    await checklist.getByLabel('Poids (kg)').fill('64,5');
    for (const name of ['anticoagulants', 'antiInflammatories']) await checklist.locator(`input[name="${name}"][value="no"]`).check();
    for (const k of ['localInfection', 'raynaud', 'cryoglobulinemia', 'coldUrticaria'])
      await checklist.locator(`input[name="contra-${k}"][value="negative"]`).check();
    await checklist.getByLabel('Poids (kg)').fill('72');

    // Nothing saved yet, and nothing left blocking: the big button says it will save first.
    await expect.poll(() => nurse.getByTestId('ready-blockers').count()).toBe(0);
    const ready = nurse.getByTestId('submit-mark_ready');
    expect(await ready.textContent()).toContain('Enregistrer la check-list et déclarer prêt');
    await nurse.getByTestId('next-step-notice').waitFor();
    const box = await ready.boundingBox();
    expect(box && box.height).toBeGreaterThanOrEqual(48);

    await ready.click();
    await nurse.locator('[data-testid="case-stage"][data-stage="ready"]').waitFor({ timeout: 3000 });
    const timeline = nurse.getByTestId('timeline');
    await timeline.locator('[data-event="PatientMarkedReady"]').waitFor();
    expect(await timeline.locator('[data-event="ChecklistRecorded"]').count()).toBe(2);
    expect(await nurse.getByTestId('checklist-unsaved').count()).toBe(0);
  });

  it('names the room in the timeline, not its id', async () => {
    await nurse.getByTestId('submit-enter_room').click();
    const entered = nurse.getByTestId('timeline').locator('[data-event="RoomEntered"]');
    await entered.waitFor({ timeout: 3000 });
    expect(await entered.textContent()).toContain('Salle 1');
    expect(await entered.textContent()).not.toMatch(/room-\d/);
  });

  it('catches up the timeline after a full snapshot (events missed while the feed was away)', async () => {
    await nurse.locator('[data-testid="case-stage"][data-stage="in_room"]').waitFor();
    // A step committed without reaching this screen live, as when a tablet was offline for long.
    const current = (await nurseApi.get(`/api/cases/${caseId}`)).body.case;
    await server.app.groupCommit.run((tx) =>
      executeCaseCommand(
        { tx, settings: server.app.settings, labelMode: server.app.config.boardLabel, actor: nurseActor, now: new Date() },
        caseId,
        { type: 'record_vitals', expectedVersion: current.version, heartRate: 80, systolic: 120, diastolic: 75, spo2: 98 } as never,
      ),
    );
    const vitals = nurse.getByTestId('timeline').locator('[data-event="VitalsRecorded"]');
    expect(await vitals.count()).toBe(1);
    // The server gives every screen a fresh snapshot (the day turning over does that), then today again.
    server.app.turnDay(new Date(Date.now() + 86_400_000));
    server.app.turnDay(new Date());
    await expect.poll(() => vitals.count(), { timeout: 3000 }).toBe(2);
  });

  it('asks before taking the probe out while a planned target is untreated', async () => {
    const id = await afterOneCycle([{ nerve: 'genicular', side: 'right' }, { nerve: 'genicular', side: 'left' }], { nerve: 'genicular', side: 'right' });

    await radiologist.goto(`${server.url}/cases/${id}`);
    const remove = radiologist.getByTestId('other-actions').getByTestId('action-remove_probe');
    await remove.click();
    expect(await remove.getAttribute('data-armed')).toBe('true');
    expect(await remove.textContent()).toContain('Confirmer');
    expect(await radiologist.getByTestId('confirm-remove_probe').textContent()).toContain('1 cible prévue pas encore traitée');
    expect(await stage(radiologist)).toBe('probe_placement');

    // A second tap sooner than 400 ms is the same double tap: a later one confirms.
    await pause(450);
    await remove.click();
    await radiologist.locator('[data-testid="case-stage"][data-stage="probe_removed"]').waitFor({ timeout: 3000 });
  });

  it('shows a bilateral target half done after the left side, offers the right side next, and refuses a blank reason', async () => {
    const id = await afterOneCycle([{ nerve: 'pudendal', side: 'bilateral' }], { nerve: 'pudendal', side: 'left' });

    await radiologist.goto(`${server.url}/cases/${id}`);
    const row = radiologist.getByTestId('procedure-targets').locator('li').first();
    await row.waitFor();
    expect(await row.getAttribute('data-progress')).toBe('partial');
    expect(await row.textContent()).toContain('un côté reste à traiter');

    // The next step is the other side: the probe form comes with the right side chosen.
    expect(await radiologist.getByTestId('next-step').getAttribute('data-command')).toBe('position_probe');
    const form = radiologist.getByTestId('next-step').getByTestId('form-position_probe');
    const chosen = form.locator('input[name="probe-target"]:checked');
    expect(await chosen.evaluate((input) => input.parentElement?.textContent ?? '')).toContain('Droite');

    // Abort with a reason made of spaces: the form refuses before anything is sent.
    const before = await version(radiologist);
    await radiologist.getByTestId('other-actions').getByTestId('action-abort').click();
    const abort = radiologist.getByTestId('form-abort');
    await abort.locator('textarea').fill('     ');
    await abort.getByTestId('submit-abort').click();
    expect(await abort.locator('textarea').evaluate((area) => (area as HTMLTextAreaElement).validationMessage)).toContain('des espaces ne suffisent pas');
    await new Promise((r) => setTimeout(r, 300));
    expect(await version(radiologist)).toBe(before);
  });

  let withoutIce: string;
  it('ends a freeze that made no ice ball without a temperature: it thaws, and the target stays untreated', async () => {
    withoutIce = await inRoom();
    for (const command of [
      LIDOCAINE,
      { type: 'position_probe', target: { nerve: 'genicular', side: 'right' }, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 } },
      { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 },
    ])
      await radiologistApi.command(withoutIce, command);

    await radiologist.goto(`${server.url}/cases/${withoutIce}`);
    const form = radiologist.getByTestId('next-step').getByTestId('form-end_freeze');
    await form.waitFor();
    expect(await form.locator('#end_freeze-lowestTempC').count()).toBe(1);
    // The gas failed: no temperature to make up. The choice takes the temperature and ice-ball fields away.
    await form.getByLabel('Pas de glace (arrêt / fausse manœuvre)').check();
    expect(await form.locator('#end_freeze-lowestTempC').count()).toBe(0);
    expect(await form.locator('#end_freeze-iceBallMm').count()).toBe(0);
    await form.getByTestId('submit-end_freeze').click();
    await radiologist.locator('[data-testid="case-stage"][data-stage="thawing"]').waitFor({ timeout: 3000 });
    expect(await radiologist.getByTestId('running-no-ice-ball').textContent()).toContain('Pas de glace');

    // The probe still thaws before it may move or leave.
    expect(await radiologist.getByTestId('next-step').getAttribute('data-command')).toBe('end_thaw');
    await radiologist.getByTestId('next-step').getByTestId('submit-end_thaw').click();
    await radiologist.locator('[data-testid="case-stage"][data-stage="probe_placement"]').waitFor({ timeout: 3000 });

    // On record, counted nowhere: the target is untreated and the next step is to freeze again there.
    const cycle = radiologist.getByTestId('cycles').getByTestId('cycle-row');
    expect(await cycle.getAttribute('data-no-ice-ball')).toBe('true');
    expect(await cycle.textContent()).toContain('Pas de glace');
    const row = radiologist.getByTestId('procedure-targets').locator('li').first();
    expect(await row.getAttribute('data-progress')).toBe('untreated');
    expect(await row.getByTestId('target-cycles').textContent()).toBe('0 cycle');
    expect(await radiologist.getByTestId('next-step').getAttribute('data-command')).toBe('start_freeze');

    // The probe may not come out on it: asked (a double tap only arms), then refused by name.
    const remove = radiologist.getByTestId('other-actions').getByTestId('action-remove_probe');
    await remove.dblclick();
    expect(await remove.getAttribute('data-armed')).toBe('true');
    await pause(450);
    await remove.click();
    const refusal = radiologist.getByTestId('other-actions').getByTestId('action-error');
    await refusal.waitFor({ timeout: 3000 });
    expect(await refusal.textContent()).toContain('Aucun cycle congélation–dégel complet');
    expect(await stage(radiologist)).toBe('probe_placement');
  });

  it('says "spaces alone" only for a reason made of spaces, and names too few letters otherwise', async () => {
    await radiologist.goto(`${server.url}/cases/${withoutIce}`);
    await radiologist.getByTestId('other-actions').getByTestId('action-abort').click();
    const abort = radiologist.getByTestId('form-abort');
    const area = abort.locator('textarea');
    const message = () => area.evaluate((el) => (el as HTMLTextAreaElement).validationMessage);
    const before = await version(radiologist);

    // Two letters: too short, which the browser says with its own length message, not "spaces".
    await area.fill('ab');
    await abort.getByTestId('submit-abort').click();
    expect(await message()).not.toBe('');
    expect(await message()).not.toContain('espaces');
    // Letters among spaces: long enough, but too few letters.
    await area.fill('a  b');
    expect(await message()).toBe('Écrivez au moins 3 caractères, espaces non compris.');
    // Spaces alone.
    await area.fill('     ');
    expect(await message()).toContain('des espaces ne suffisent pas');
    await area.fill('Panne de gaz');
    expect(await message()).toBe('');

    await pause(300);
    expect(await version(radiologist)).toBe(before);
  });

  it('suggests each drug under one name whatever the screen language, so the records agree', async () => {
    const id = await inRoom();
    for (const lang of ['fr', 'en'] as const) {
      const tablet = lang === 'fr' ? radiologist : await signIn(browser, server, 'radiologist', { lang });
      await tablet.goto(`${server.url}/cases/${id}`);
      const anaesthesia = tablet.getByTestId('next-step').getByTestId('form-give_local_anesthesia');
      await anaesthesia.waitFor();
      const offered = (form: typeof anaesthesia) => form.locator('datalist option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
      // Local anaesthetics are codes now: the same values under every language's labels.
      const agents = await anaesthesia.locator('select[id$="-agent"] option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
      expect(agents, lang).toEqual([...LOCAL_ANESTHETIC_AGENTS]);
      await tablet.getByTestId('other-actions').getByTestId('action-give_sedation').click();
      expect(await offered(tablet.getByTestId('form-give_sedation')), lang).toEqual([...SEDATION_SUGGESTIONS]);
      if (tablet !== radiologist) await tablet.context().close();
    }
  });

  it('asks before a discharge, and a quick double tap does not confirm it', async () => {
    const room = await freeRoom();
    const id = await scheduleInThePast(server, coordinatorActor, 90, { plannedRoomId: room });
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    for (const [api, command, minutes] of [
      [nurseApi, { type: 'admit' }, 80],
      [nurseApi, { type: 'record_checklist', ...COMPLETE_CHECKLIST }, 79],
      [nurseApi, { type: 'mark_ready' }, 78],
      [nurseApi, { type: 'enter_room', roomId: room }, 77],
      [nurseApi, timeOutOf([{ nerve: 'genicular', side: 'right' }]), 77],
      [radiologistApi, LIDOCAINE, 76],
      [radiologistApi, { type: 'position_probe', target: { nerve: 'genicular', side: 'right' }, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 } }, 75],
      [radiologistApi, { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 }, 74],
      [radiologistApi, { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' }, 71],
      [radiologistApi, { type: 'end_thaw' }, 70],
      [radiologistApi, { type: 'remove_probe' }, 69],
      [nurseApi, { type: 'apply_dressing' }, 68],
      [nurseApi, SIGN_OUT_COMMAND, 68],
      [nurseApi, { type: 'start_observation' }, 60],
      [nurseApi, { type: 'record_vitals', heartRate: 72, systolic: 125, diastolic: 78, spo2: 98 }, 5],
      [nurseApi, { type: 'record_padss', vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 2, bleeding: 2 }, 4],
    ] as const)
      await api.command(id, { ...command, occurredAt: ago(minutes) });

    const page = nurse;
    await page.goto(`${server.url}/cases/${id}`);
    const form = page.getByTestId('next-step').getByTestId('form-discharge');
    await form.getByLabel('Accompagnant confirmé à la sortie').check();
    await form.getByLabel('Consignes de sortie remises').check();
    const submit = form.getByTestId('submit-discharge');
    await submit.dblclick();
    expect(await submit.getAttribute('data-armed')).toBe('true');
    expect(await submit.textContent()).toBe('Confirmer\u00a0: Autoriser la sortie\u00a0?');
    await pause(300);
    expect(await stage(page)).toBe('observation');

    await pause(150);
    await submit.click();
    await page.locator('[data-testid="case-stage"][data-stage="discharged"]').waitFor({ timeout: 3000 });
  });

  it('lets the coordinator change the planned targets when rescheduling', async () => {
    const id = (await coordinatorApi.post('/api/cases', newCaseBody())).body.case.id as string;
    const coordinator = await signIn(browser, server, 'coordinator');
    await coordinator.goto(`${server.url}/cases/${id}`);
    await coordinator.getByTestId('action-reschedule_case').click();
    const form = coordinator.getByTestId('form-reschedule_case');
    await form.getByTestId('target-nerve-0').selectOption('intercostal');
    await form.getByTestId('target-side-0').selectOption('left');
    await form.getByTestId('submit-reschedule_case').click();
    await coordinator.getByTestId('timeline').locator('[data-event="CaseRescheduled"]').waitFor({ timeout: 3000 });
    expect(await coordinator.getByTestId('case-view').textContent()).toContain('Nerf intercostal — Gauche');
    await coordinator.context().close();
  });

  it('says why the PADSS cannot be recorded yet, with the wording of each score', async () => {
    const room = await freeRoom();
    const body = newCaseBody({ plannedRoomId: room });
    const id = (await coordinatorApi.post('/api/cases', body)).body.case.id as string;
    for (const [who, command] of [
      [nurseApi, { type: 'admit' }],
      [nurseApi, { type: 'record_checklist', ...COMPLETE_CHECKLIST }],
      [nurseApi, { type: 'mark_ready' }],
      [nurseApi, { type: 'enter_room', roomId: room }],
      [nurseApi, timeOutOf(body.plannedTargets)],
      [radiologistApi, LIDOCAINE],
      // Stopped before the probe went in: straight to dressing.
      [radiologistApi, { type: 'abort', reason: 'Patient algique' }],
      [nurseApi, { type: 'apply_dressing' }],
      [nurseApi, SIGN_OUT_COMMAND],
      [nurseApi, { type: 'start_observation' }],
      [nurseApi, { type: 'record_vitals', heartRate: 72, systolic: 125, diastolic: 78, spo2: 98 }],
    ] as const)
      await who.command(id, command);

    await nurse.goto(`${server.url}/cases/${id}`);
    const padss = nurse.getByTestId('form-record_padss');
    await padss.waitFor();
    expect(await padss.textContent()).toContain('Ne peut pas marcher');
    expect(await nurse.getByTestId('why-disabled-record_padss').textContent()).toContain('il en manque 5');
    expect(await nurse.getByTestId('submit-record_padss').isDisabled()).toBe(true);
    for (const item of ['vitalSigns', 'activity', 'nauseaVomiting', 'pain', 'bleeding']) await padss.locator(`input[name="padss-${item}"][value="2"]`).check();
    expect(await nurse.getByTestId('why-disabled-record_padss').count()).toBe(0);
    expect(await nurse.getByTestId('submit-record_padss').isDisabled()).toBe(false);
  });

  it('on the day list, a day that cannot be loaded says so and never shows another day’s patients', async () => {
    await nurse.goto(server.url);
    await nurse.locator('[data-testid^="case-row-"]').first().waitFor();
    await nurse.route('**/api/cases?date=*', (route) => route.abort());
    await nurse.getByTestId('day-filter').fill('2031-05-12');
    await nurse.getByTestId('day-error').waitFor({ timeout: 3000 });
    expect(await nurse.getByTestId('day-error').textContent()).toContain('n’a pas pu être chargée');
    expect(await nurse.locator('[data-testid^="case-row-"]').count()).toBe(0);
    await nurse.unroute('**/api/cases?date=*');
  });
});
