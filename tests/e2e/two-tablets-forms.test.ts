import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, newCaseBody, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { minutesAgo, wholeDay } from '../support/day';
import { requireBuiltSite, scheduleInThePast, signIn, waitConnected } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

async function openCase(page: Page, server: TestServer, caseId: string) {
  await page.goto(`${server.url}/cases/${caseId}`);
  await waitConnected(page);
  await page.getByTestId('case-view').waitFor();
}

const version = async (page: Page) => Number(await page.getByTestId('case-view').getAttribute('data-version'));
const parisTime = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

// The vitals and reschedule forms weigh a colleague's save as the checklist does: fields only the
// colleague changed are taken, fields both changed are shown side by side, the save waits for a choice
// and goes at the version its view comes from.
describe('two tablets on the vitals and the reschedule forms', () => {
  let server: TestServer;
  let browser: Browser;
  let nurse: Api;
  let coordinator: Api;
  let staff: Awaited<ReturnType<typeof seedStaff>>;

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer();
    staff = await seedStaff(server);
    [nurse, coordinator] = (await Promise.all(['nurse', 'coordinator'].map((u) => Api.login(server, u)))) as [Api, Api];
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('vitals: a colleague’s reading fills the blanks, a clashing heart rate is chosen, a stale save is refused', async () => {
    const caseId = (await coordinator.post('/api/cases', newCaseBody())).body.case.id as string;
    await nurse.command(caseId, { type: 'admit' });
    const [a, b] = await Promise.all([signIn(browser, server, 'nurse'), signIn(browser, server, 'nurse')]);
    await openCase(a, server, caseId);
    await openCase(b, server, caseId);
    await a.getByTestId('action-record_vitals').click();
    await b.getByTestId('action-record_vitals').click();
    const formA = a.getByTestId('form-record_vitals');
    const formB = b.getByTestId('form-record_vitals');

    // Nurse B starts typing her own reading and does not send it.
    await formB.getByLabel('Fréquence cardiaque (bpm)').fill('88');
    await formB.getByLabel('SpO2 (%)').fill('95');
    const versionB = await version(b);

    // Nurse A records a full reading meanwhile.
    await formA.getByLabel('Fréquence cardiaque (bpm)').fill('72');
    await formA.getByLabel('PA systolique (mmHg)').fill('125');
    await formA.getByLabel('PA diastolique (mmHg)').fill('80');
    await formA.getByLabel('SpO2 (%)').fill('95');
    await formA.getByTestId('submit-record_vitals').click();
    await expect.poll(() => version(a)).toBe(versionB + 1);

    const conflicts = formB.getByTestId('vitals-conflicts');
    await conflicts.waitFor();
    expect(await conflicts.locator('fieldset').count()).toBe(1);
    const heartRate = formB.getByTestId('conflict-heartRate');
    expect(await heartRate.getByTestId('keep-mine').textContent()).toContain('88');
    expect(await heartRate.getByTestId('take-theirs').textContent()).toContain('72');
    // Taken silently: the pressures B had left blank; the SpO2 both typed alike raises nothing.
    expect(await formB.getByLabel('PA systolique (mmHg)').inputValue()).toBe('125');
    expect(await formB.getByLabel('PA diastolique (mmHg)').inputValue()).toBe('80');
    expect(await formB.getByTestId('submit-record_vitals').isDisabled()).toBe(true);

    // The server refuses a reading sent on B's view from before A's.
    const stale = await nurse.post(`/api/cases/${caseId}/commands`, { type: 'record_vitals', expectedVersion: versionB, heartRate: 88, systolic: 125, diastolic: 80, spo2: 95 });
    expect([stale.status, stale.body.code]).toEqual([409, 'version_conflict']);

    await heartRate.getByTestId('keep-mine').click();
    expect(await formB.getByTestId('vitals-conflicts').count()).toBe(0);
    await formB.getByTestId('submit-record_vitals').click();
    await expect.poll(() => version(b)).toBe(versionB + 2);
    expect(await b.getByTestId('action-error').count()).toBe(0);

    const vitals = (await nurse.get(`/api/cases/${caseId}`)).body.case.vitals as Record<string, unknown>[];
    expect(vitals.map((v) => [v.heartRate, v.systolic, v.diastolic, v.spo2])).toEqual([
      [72, 125, 80, 95],
      [88, 125, 80, 95],
    ]);
    await a.context().close();
    await b.context().close();
  });

  it('reschedule: a colleague’s new targets are taken, the clashing time is chosen, my room stays', async () => {
    const caseId = (await coordinator.post('/api/cases', newCaseBody())).body.case.id as string;
    const [a, b] = await Promise.all([signIn(browser, server, 'coordinator'), signIn(browser, server, 'coordinator')]);
    await openCase(a, server, caseId);
    await openCase(b, server, caseId);
    await a.getByTestId('action-reschedule_case').click();
    await b.getByTestId('action-reschedule_case').click();
    const formA = a.getByTestId('form-reschedule_case');
    const formB = b.getByTestId('form-reschedule_case');

    await formB.getByLabel('Heure programmée').fill('14:30');
    await formB.getByLabel('Salle prévue').selectOption('room-2');
    const versionB = await version(b);

    await formA.getByLabel('Heure programmée').fill('15:00');
    await formA.getByTestId('target-nerve-0').selectOption('intercostal');
    await formA.getByTestId('target-side-0').selectOption('left');
    await formA.getByTestId('submit-reschedule_case').click();
    await expect.poll(() => version(a)).toBe(versionB + 1);

    const conflicts = formB.getByTestId('reschedule-conflicts');
    await conflicts.waitFor();
    expect(await conflicts.locator('fieldset').count()).toBe(1);
    const time = formB.getByTestId('conflict-time');
    expect(await time.getByTestId('keep-mine').textContent()).toContain('14:30');
    expect(await time.getByTestId('take-theirs').textContent()).toContain('15:00');
    expect(await formB.getByTestId('target-nerve-0').inputValue()).toBe('intercostal');
    expect(await formB.getByLabel('Salle prévue').inputValue()).toBe('room-2');
    expect(await formB.getByTestId('submit-reschedule_case').isDisabled()).toBe(true);

    await time.getByTestId('take-theirs').click();
    await formB.getByTestId('submit-reschedule_case').click();
    await expect.poll(() => version(b)).toBe(versionB + 2);

    const saved = (await coordinator.get(`/api/cases/${caseId}`)).body.case;
    expect([parisTime(saved.scheduledAt), saved.plannedRoomId, saved.plannedTargets]).toEqual(['15:00', 'room-2', [{ nerve: 'intercostal', side: 'left' }]]);
    await a.context().close();
    await b.context().close();
  });

  it('PADSS: the colleague’s score moves the next step on; her own scores wait under the form, clashing items chosen', async () => {
    const caseId = await scheduleInThePast(server, { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' }, 180);
    const users = { nurse, radiologist: await Api.login(server, 'radiologist') };
    const steps = wholeDay(await nurse.freeRoom(), minutesAgo(Date.now())).filter(([, c]) => !['record_padss', 'discharge'].includes(c.type));
    for (const [who, command] of steps) await users[who].command(caseId, command);
    const [a, b] = await Promise.all([signIn(browser, server, 'nurse'), signIn(browser, server, 'nurse')]);
    await openCase(a, server, caseId);
    await openCase(b, server, caseId);
    const padss = (page: Page) => page.getByTestId('form-record_padss');
    await padss(a).waitFor();
    await padss(b).waitFor();

    await padss(b).locator('input[name="padss-vitalSigns"][value="1"]').check();
    await padss(b).locator('input[name="padss-pain"][value="1"]').check();
    const versionB = await version(b);

    for (const item of ['vitalSigns', 'activity', 'nauseaVomiting', 'pain', 'bleeding']) await padss(a).locator(`input[name="padss-${item}"][value="2"]`).check();
    await padss(a).getByTestId('submit-record_padss').click();
    await b.locator('[data-testid="next-step"][data-command="discharge"]').waitFor();

    await b.getByTestId('action-record_padss').click();
    const conflicts = padss(b).getByTestId('padss-conflicts');
    await conflicts.waitFor();
    expect(await conflicts.locator('fieldset').count()).toBe(2);
    expect(await padss(b).locator('input[name="padss-activity"][value="2"]').isChecked()).toBe(true);
    expect(await padss(b).getByTestId('submit-record_padss').isDisabled()).toBe(true);

    await padss(b).getByTestId('conflict-vitalSigns').getByTestId('take-theirs').click();
    await padss(b).getByTestId('conflict-pain').getByTestId('keep-mine').click();
    await padss(b).getByTestId('submit-record_padss').click();
    await expect.poll(() => version(b)).toBe(versionB + 2);

    const saved = (await nurse.get(`/api/cases/${caseId}`)).body.case.padss;
    expect([saved.vitalSigns, saved.pain, saved.activity, saved.total]).toEqual([2, 1, 2, 9]);
    await a.context().close();
    await b.context().close();
  });
});
