import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_FREEZE_SECONDS } from '../../shared';
import { Api, COMPLETE_CHECKLIST, newCaseBody, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { LIDOCAINE, timeOutOf } from '../support/day';
import { requireBuiltSite, signIn, waitConnected } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// The radiologist's freeze/thaw cycles on the tablet, counted tap by tap (a field typed in is one tap
// to focus it; the figures are printed for the README and the report).
describe('freeze/thaw cycles on the radiologist tablet', () => {
  let server: TestServer;
  let browser: Browser;
  let tablet: Page;
  let caseId: string;
  let radiologist: Api;
  let taps = 0;
  const tap = async (target: Locator) => {
    taps += 1;
    await target.click();
  };
  const type = async (target: Locator, value: string) => {
    taps += 1;
    await target.fill(value);
  };
  const next = (command: string) => tablet.locator(`[data-testid="next-step"][data-command="${command}"]`);
  // A freeze ended sooner than MIN_FREEZE_SECONDS after it started is refused as a mis-tap, so the
  // walk lets each freeze run that long, counted from when the tablet showed it running.
  let freezeShownAt = 0;
  const freezeRunning = async () => {
    await next('end_freeze').waitFor();
    freezeShownAt = Date.now();
  };
  const letTheFreezeRun = () => tablet.waitForTimeout(Math.max(0, freezeShownAt + MIN_FREEZE_SECONDS * 1000 + 1000 - Date.now()));

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer();
    await seedStaff(server);
    const nurse = await Api.login(server, 'nurse');
    radiologist = await Api.login(server, 'radiologist');
    caseId = (await (await Api.login(server, 'coordinator')).post('/api/cases', newCaseBody())).body.case.id;
    const room = await nurse.freeRoom();
    const target = { nerve: 'genicular', side: 'right' } as const;
    for (const command of [
      { type: 'admit' },
      { type: 'record_checklist', ...COMPLETE_CHECKLIST },
      { type: 'mark_ready' },
      { type: 'enter_room', roomId: room },
      timeOutOf([target]),
    ])
      await nurse.command(caseId, command);
    for (const command of [
      LIDOCAINE,
      { type: 'position_probe', target, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 } },
      { type: 'record_stimulation', result: 'sensory' },
    ])
      await radiologist.command(caseId, command);
    browser = await launchChromium();
    tablet = await signIn(browser, server, 'radiologist');
    await tablet.goto(`${server.url}/cases/${caseId}`);
    await waitConnected(tablet);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('asks before sending a temperature outside the expected range, and sends it on the second tap', async () => {
    taps = 0;
    await tap(next('start_freeze').getByTestId('submit-start_freeze'));
    await freezeRunning();
    await type(tablet.locator('#end_freeze-lowestTempC'), '45');
    await type(tablet.locator('#end_freeze-iceBallMm'), '9');
    await letTheFreezeRun();
    await tap(next('end_freeze').getByTestId('submit-end_freeze'));
    const ask = tablet.getByTestId('confirm-end_freeze');
    await ask.waitFor();
    expect(await ask.textContent()).toContain('−45\u00a0°C est hors de la plage attendue');
    // Not sent yet: the case is still freezing.
    expect((await radiologist.get(`/api/cases/${caseId}`)).body.case.stage).toBe('freezing');
    await tablet.waitForTimeout(450);
    await tap(next('end_freeze').getByTestId('submit-end_freeze'));
    await next('end_thaw').waitFor();
    const cycle = (await radiologist.get(`/api/cases/${caseId}`)).body.case.cycles[0];
    expect(cycle.lowestTempC).toBe(-45);
    await tap(next('end_thaw').getByTestId('submit-end_thaw'));
    // The unit's usual second cycle is the next step itself, not under "Autres actions".
    await next('start_freeze').waitFor();
    console.log(`taps for one freeze/thaw cycle, with an unexpected temperature confirmed: ${taps}`);
  }, 60_000);

  it('proposes the second cycle as the next step, a temperature in range goes in one tap, then the probe comes out', async () => {
    taps = 0;
    await tap(next('start_freeze').getByTestId('submit-start_freeze'));
    await freezeRunning();
    await type(tablet.locator('#end_freeze-lowestTempC'), '82');
    await type(tablet.locator('#end_freeze-iceBallMm'), '10');
    await letTheFreezeRun();
    await tap(next('end_freeze').getByTestId('submit-end_freeze'));
    await next('end_thaw').waitFor();
    expect(await tablet.getByTestId('confirm-end_freeze').count()).toBe(0);
    await tap(next('end_thaw').getByTestId('submit-end_thaw'));
    await next('remove_probe').waitFor();
    console.log(`taps for the second freeze/thaw cycle: ${taps}`);
    expect(taps).toBe(5);
    expect((await radiologist.get(`/api/cases/${caseId}`)).body.case.cycles.map((c: { lowestTempC: number }) => c.lowestTempC)).toEqual([-45, -82]);
  }, 60_000);
});
