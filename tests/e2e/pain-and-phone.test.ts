import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { minutesAgo, wholeDay } from '../support/day';
import { parisTime, requireBuiltSite, scheduleInThePast, signIn, submitStep, waitConnected } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// The nurse types the patient's own phone at admission and a pain score with the vitals; the
// follow-up list can call the patient, and counts those scores as the admission and discharge ones.
describe('patient phone at admission, pain typed with the vitals', () => {
  let server: TestServer;
  let browser: Browser;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer();
    staff = await seedStaff(server);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('admits with the patient’s phone, takes pain 7 with the admission vitals and 2 in observation; follow-up and CSV show 7 and 2', async () => {
    const caseId = await scheduleInThePast(server, { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' }, 180);
    const nurse = await signIn(browser, server, 'nurse');
    await nurse.goto(`${server.url}/cases/${caseId}`);
    await waitConnected(nurse);

    const admit = nurse.getByTestId('form-admit');
    const phone = admit.getByLabel('Téléphone du patient');
    await phone.fill('pas de téléphone');
    // The browser's own check runs (the pattern compiles): the form is not sent.
    expect(await phone.evaluate((el: HTMLInputElement) => el.validity.patternMismatch)).toBe(true);
    await phone.fill('06 98 76 54 32');
    await submitStep(nurse, 'admit', parisTime(120));
    await nurse.locator('[data-testid="case-stage"][data-stage="admitted"]').waitFor();

    await nurse.getByTestId('action-record_vitals').click();
    const vitals = nurse.getByTestId('form-record_vitals');
    await vitals.getByLabel('Fréquence cardiaque (bpm)').fill('80');
    await vitals.getByLabel('PA systolique (mmHg)').fill('130');
    await vitals.getByLabel('PA diastolique (mmHg)').fill('80');
    await vitals.getByLabel('SpO2 (%)').fill('97');
    await vitals.getByLabel('Douleur (0–10)').fill('7');
    const version = Number(await nurse.getByTestId('case-view').getAttribute('data-version'));
    await submitStep(nurse, 'record_vitals', parisTime(118));
    await expect.poll(async () => Number(await nurse.getByTestId('case-view').getAttribute('data-version'))).toBe(version + 1);

    // The rest of the day, back-dated after the admission; in observation the vitals carry pain 2 and a
    // vitals pain taken in the room counts for neither moment.
    const users = { nurse: await Api.login(server, 'nurse'), radiologist: await Api.login(server, 'radiologist') };
    const at = minutesAgo(Date.now());
    for (const [who, command] of wholeDay(await users.nurse.freeRoom(), at).filter(([, c]) => c.type !== 'admit')) {
      await users[who].command(caseId, command.type === 'record_vitals' ? { ...command, painScore: 2 } : command);
      if (command.type === 'give_local_anesthesia')
        await users.nurse.command(caseId, { type: 'record_vitals', heartRate: 70, systolic: 120, diastolic: 75, spo2: 99, painScore: 9, occurredAt: at(93) });
    }

    await nurse.goto(`${server.url}/follow-up`);
    const card = nurse.getByTestId('follow-up-patient').first();
    await card.waitFor();
    expect(await card.getByTestId('patient-phone').textContent()).toBe('06 98 76 54 32');
    expect(await card.getByTestId('escort-phone').textContent()).toBe('06 12 34 56 78');
    const cells = await card.locator('tbody tr').first().locator('td').allTextContents();
    expect(cells.slice(0, 2).map((c) => c.trim())).toEqual(['7', '2']);

    const parisDay = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(ms));
    const csv = await nurse.context().request.get(`${server.url}/api/reports/cases.csv?from=${parisDay(Date.now() - 86_400_000)}&to=${parisDay(Date.now())}`);
    expect(csv.status()).toBe(200);
    const [header, row] = (await csv.text()).replace(/^\uFEFF/, '').split('\r\n');
    const columns = header!.split(';');
    const values = row!.split(';');
    expect(values[columns.indexOf('pain_admission')]).toBe('7');
    expect(values[columns.indexOf('pain_discharge')]).toBe('2');
    await nurse.context().close();
  });
});
