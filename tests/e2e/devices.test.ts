import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gs1CheckDigit, type Actor } from '../../shared';
import { Api, COMPLETE_CHECKLIST } from '../support/api';
import { LIDOCAINE, timeOutOf } from '../support/day';
import { scheduleInThePast, signIn } from '../support/e2e';
import type { TestServer } from '../support/server';
import { openWalk, type Walk } from '../support/walk';

// The radiologist scans the probe's label into the probe form as a hand-held scanner does (the
// characters, then Enter), sees what was read before sending, is told why an expired one is refused,
// and finds the lot on the timeline; the coordinator then finds the patient from that lot.
describe('devices on the tablet and the recall screen', () => {
  let walk: Walk;
  let server: TestServer;
  let browser: Browser;
  let nurseApi: Api;
  let radiologistApi: Api;
  let coordinator: Actor;
  const GTIN = `0376012345001${gs1CheckDigit('0376012345001')}`;
  const TYPO = `0376012345001${(gs1CheckDigit('0376012345001') + 3) % 10}`;
  const nextYear = String((new Date().getUTCFullYear() + 1) % 100).padStart(2, '0');
  const target = { nerve: 'genicular', side: 'right' } as const;

  beforeAll(async () => {
    walk = await openWalk({ ROOMS: 'Salle 1,Salle 2' });
    ({ server, browser, coordinator } = walk);
    [nurseApi, radiologistApi] = await Promise.all([Api.login(server, 'nurse'), Api.login(server, 'radiologist')]);
  });
  afterAll(() => walk?.close());

  const version = async (page: Page) => Number(await page.getByTestId('case-view').getAttribute('data-version'));

  async function scan(page: Page, text: string) {
    const field = page.getByTestId('position_probe-udi');
    await field.fill('');
    await field.click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  it('scan → preview → refusal of an expired probe, translated → a good scan → the lot on the timeline; then the recall finds the patient', async () => {
    const room = await nurseApi.freeRoom();
    const id = await scheduleInThePast(server, coordinator, 30, { plannedRoomId: room, plannedTargets: [target] });
    for (const command of [{ type: 'admit' }, { type: 'record_checklist', ...COMPLETE_CHECKLIST }, { type: 'mark_ready' }, { type: 'enter_room', roomId: room }, timeOutOf([target])])
      await nurseApi.command(id, command);
    await radiologistApi.command(id, LIDOCAINE);

    const radiologist = await signIn(browser, server, 'radiologist');
    await radiologist.goto(`${server.url}/cases/${id}`);
    const form = radiologist.getByTestId('next-step').getByTestId('form-position_probe');
    await form.waitFor();
    await form.locator('select').first().selectOption('ultrasound');
    await form.getByLabel('Type de sonde').fill('Cryosonde 1,7 mm');
    await form.getByLabel('Calibre').fill('14');

    // A misread check digit: said on the spot, before anything is sent; the scanner's Enter sends nothing.
    const before = await version(radiologist);
    await scan(radiologist, `(01)${TYPO}(17)${nextYear}1231(10)LOTE2E`);
    expect(await form.getByTestId('position_probe-device-error').textContent()).toContain('clé de contrôle du GTIN est fausse');
    await new Promise((r) => setTimeout(r, 300));
    expect(await version(radiologist)).toBe(before);

    // An expired probe reads fine but the server refuses it, in French, and nothing changes.
    await scan(radiologist, `(01)${GTIN}(17)200100(10)OLDLOT`);
    expect(await form.getByTestId('position_probe-device-read').textContent()).toContain('Lot OLDLOT');
    await form.getByTestId('submit-position_probe').click();
    const refusal = radiologist.getByTestId('next-step').getByTestId('action-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Dispositif périmé (péremption 2020-01-31');
    expect(await version(radiologist)).toBe(before);

    // The good label: GTIN, lot and expiry shown as read, then on the timeline once sent.
    await scan(radiologist, `(01)${GTIN}(17)${nextYear}0600(10)LOTE2E(21)SN42`);
    const read = await form.getByTestId('position_probe-device-read').textContent();
    expect(read).toContain(`GTIN ${GTIN}`);
    expect(read).toContain('Lot LOTE2E');
    expect(read).toContain(`Péremption 20${nextYear}-06-30`);
    await form.getByTestId('submit-position_probe').click();
    await radiologist.locator('[data-testid="case-stage"][data-stage="probe_placement"]').waitFor({ timeout: 5000 });
    const timeline = radiologist.getByTestId('timeline');
    await expect.poll(async () => (await timeline.textContent()) ?? '').toContain('Lot LOTE2E');
    expect(await timeline.textContent()).toContain('Numéro de série SN42');
    await radiologist.context().close();

    // The coordinator answers the recall from Reports.
    const coordinatorPage = await signIn(browser, server, 'coordinator');
    await coordinatorPage.goto(`${server.url}/reports`);
    const recall = coordinatorPage.getByTestId('device-recall');
    await recall.waitFor();
    await recall.getByTestId('recall-lot').fill('LOTE2E');
    await recall.getByTestId('recall-search').click();
    const table = recall.getByTestId('recall-table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('DURAND Hélène');
    expect(await rows.first().locator('a').getAttribute('href')).toBe(`/cases/${id}`);
    expect(await recall.getByTestId('recall-csv').getAttribute('href')).toContain('lot=LOTE2E');
    await recall.getByTestId('recall-lot').fill('NOPE');
    await recall.getByTestId('recall-search').click();
    await recall.getByTestId('recall-none').waitFor();
    await coordinatorPage.context().close();

    // A nurse has no recall screen.
    const nurse = await signIn(browser, server, 'nurse');
    await nurse.goto(`${server.url}/reports`);
    await nurse.getByTestId('report-counts').waitFor();
    expect(await nurse.getByTestId('device-recall').count()).toBe(0);
    await nurse.context().close();
  });

  it('the nurse types the introducer’s label by hand (record_device): a mistyped GTIN is said before sending, the right one lands on the timeline', async () => {
    const room = await nurseApi.freeRoom();
    const id = await scheduleInThePast(server, coordinator, 30, { plannedRoomId: room, plannedTargets: [target] });
    for (const command of [{ type: 'admit' }, { type: 'record_checklist', ...COMPLETE_CHECKLIST }, { type: 'mark_ready' }, { type: 'enter_room', roomId: room }])
      await nurseApi.command(id, command);

    const nurse = await signIn(browser, server, 'nurse');
    await nurse.goto(`${server.url}/cases/${id}`);
    await nurse.getByTestId('other-actions').getByTestId('action-record_device').click();
    const form = nurse.getByTestId('form-record_device');
    await form.waitFor();
    await form.getByTestId('record_device-kind').selectOption('introducer');
    await form.getByTestId('record_device-gtin').fill(TYPO);
    await form.getByTestId('record_device-lot').fill('INT-77');
    expect(await form.getByTestId('record_device-device-error').textContent()).toContain('clé de contrôle du GTIN est fausse');
    await form.getByTestId('record_device-gtin').fill(GTIN);
    await form.getByTestId('record_device-expiry').fill(`20${nextYear}-03-31`);
    expect(await form.getByTestId('record_device-device-read').textContent()).toContain('Lot INT-77');
    await form.getByTestId('submit-record_device').click();
    const timeline = nurse.getByTestId('timeline');
    await expect.poll(async () => (await timeline.textContent()) ?? '').toContain('Introducteur — Lot INT-77');
    await nurse.context().close();
  });
});
