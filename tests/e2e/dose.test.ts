import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../shared';
import { Api, COMPLETE_CHECKLIST } from '../support/api';
import { LIDOCAINE, sendSpaced, timeOutOf } from '../support/day';
import { scheduleInThePast, signIn } from '../support/e2e';
import type { TestServer } from '../support/server';
import { openWalk, type Walk } from '../support/walk';

// The admin lists the room's scanner; after a CT-guided freeze the radiologist's next step is the
// dose, read off the console into the form (a typo refused in words), then the sign-out; the month's
// median shows under Reports.
describe('radiation dose on the screens', () => {
  let walk: Walk;
  let server: TestServer;
  let browser: Browser;
  let nurseApi: Api;
  let radiologistApi: Api;
  let coordinator: Actor;
  const target = { nerve: 'genicular', side: 'right' } as const;

  beforeAll(async () => {
    walk = await openWalk({ ROOMS: 'Salle 1,Salle 2' });
    ({ server, browser, coordinator } = walk);
    [nurseApi, radiologistApi] = await Promise.all([Api.login(server, 'nurse'), Api.login(server, 'radiologist')]);
  });
  afterAll(() => walk?.close());

  it('admin lists the scanner → the CT case asks for its dose before the sign-out → the month’s median under Reports', async () => {
    const admin = await signIn(browser, server, 'admin');
    await admin.goto(`${server.url}/admin`);
    const equipment = admin.getByTestId('unit-equipment');
    await equipment.getByTestId('equipment-add').click();
    const row = equipment.getByTestId('equipment-row').first();
    await row.getByLabel('Appareil').fill('Siemens Somatom go.Up');
    await row.getByLabel('Modalité').selectOption('ct');
    await row.getByLabel('Salle').selectOption('room-1');
    await equipment.getByTestId('equipment-save').click();
    await expect.poll(async () => (await equipment.getByTestId('equipment-saved').textContent()) ?? '').toContain('admin');
    await admin.context().close();

    const id = await scheduleInThePast(server, coordinator, 40, { plannedRoomId: 'room-1', plannedTargets: [target] });
    await sendSpaced({ nurse: nurseApi, radiologist: radiologistApi }, id, [
      ['nurse', { type: 'admit' }],
      ['nurse', { type: 'record_checklist', ...COMPLETE_CHECKLIST }],
      ['nurse', { type: 'mark_ready' }],
      ['nurse', { type: 'enter_room', roomId: 'room-1' }],
      ['nurse', timeOutOf([target])],
      ['radiologist', LIDOCAINE],
      ['radiologist', { type: 'position_probe', target, guidance: 'ct', probe: { type: 'Cryosonde', gauge: 14 } }],
      ['radiologist', { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 }],
      ['radiologist', { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' }],
      ['radiologist', { type: 'end_thaw' }],
      ['radiologist', { type: 'remove_probe' }],
      ['nurse', { type: 'apply_dressing' }],
    ], 5);

    const radiologist = await signIn(browser, server, 'radiologist');
    await radiologist.goto(`${server.url}/cases/${id}`);
    const next = radiologist.getByTestId('next-step');
    await expect.poll(() => next.getAttribute('data-command')).toBe('record_dose');
    const form = next.getByTestId('form-record_dose');
    // The unit's machines arrive just after the form: the room's scanner is then the one chosen.
    await expect.poll(() => form.getByTestId('record_dose-equipment').inputValue()).toBe('Siemens Somatom go.Up');
    // A DLP typed without its decimal point: refused in words, nothing recorded.
    await form.getByTestId('record_dose-dlpMgyCm').fill('28640');
    await form.getByTestId('record_dose-ctdiVolMgy').fill('8,4');
    await form.getByTestId('submit-record_dose').click();
    const refusal = next.getByTestId('action-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Valeur de dose invraisemblable (28640');
    await form.getByTestId('record_dose-dlpMgyCm').fill('286,4');
    await form.getByTestId('submit-record_dose').click();
    await expect.poll(() => next.getAttribute('data-command')).toBe('confirm_sign_out');
    expect(await radiologist.getByTestId('timeline').textContent()).toContain('PDL (mGy·cm) 286.4');
    await radiologist.context().close();

    const coordinatorPage = await signIn(browser, server, 'coordinator');
    await coordinatorPage.goto(`${server.url}/reports`);
    const table = coordinatorPage.getByTestId('dose-months-table');
    await table.waitFor();
    const dlp = table.locator('tr', { hasText: 'PDL (mGy·cm)' });
    expect(await dlp.textContent()).toContain('286,4');
    await coordinatorPage.context().close();
  });
});
