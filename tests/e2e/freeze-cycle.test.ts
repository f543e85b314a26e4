import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, COMPLETE_CHECKLIST, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { LIDOCAINE, minutesAgo, timeOutOf } from '../support/day';
import { parisTime, requireBuiltSite, scheduleInThePast, signIn, waitConnected } from '../support/e2e';
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
  // A freeze ended sooner than MIN_FREEZE_SECONDS after it started is refused as a mis-tap. Rather than
  // wait that long, the walk dates its steps a few minutes back in the step's own time field (HH:MM,
  // so a minute apart is 60 s): the day as it was lived, typed in afterwards. Those fields are not
  // counted as taps, since at the bedside each step is sent as it happens. Every such time is counted
  // back from one instant: read afresh at each step, a minute turning between two steps put them
  // two minutes apart instead of one.
  let walkStarted = 0;
  const happenedMinutesAgo = (command: string, minutes: number) => next(command).locator(`#${command}-at`).fill(parisTime(minutes, walkStarted));
  const freezeRunning = () => next('end_freeze').waitFor();

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer();
    const staff = await seedStaff(server);
    caseId = await scheduleInThePast(server, { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' }, 60);
    const nurse = await Api.login(server, 'nurse');
    radiologist = await Api.login(server, 'radiologist');
    const at = minutesAgo(Date.now());
    const room = await nurse.freeRoom();
    const target = { nerve: 'genicular', side: 'right' } as const;
    for (const command of [
      { type: 'admit', occurredAt: at(50) },
      { type: 'record_checklist', ...COMPLETE_CHECKLIST, occurredAt: at(45) },
      { type: 'mark_ready', occurredAt: at(40) },
      { type: 'enter_room', roomId: room, occurredAt: at(30) },
      { ...timeOutOf([target]), occurredAt: at(28) },
    ])
      await nurse.command(caseId, command);
    for (const command of [
      { ...LIDOCAINE, occurredAt: at(26) },
      { type: 'position_probe', target, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 }, occurredAt: at(24) },
      { type: 'record_stimulation', result: 'sensory', occurredAt: at(22) },
    ])
      await radiologist.command(caseId, command);
    browser = await launchChromium();
    tablet = await signIn(browser, server, 'radiologist');
    await tablet.goto(`${server.url}/cases/${caseId}`);
    await waitConnected(tablet);
    walkStarted = Date.now();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('asks before sending a temperature outside the expected range, and sends it on the second tap', async () => {
    taps = 0;
    await happenedMinutesAgo('start_freeze', 4);
    await tap(next('start_freeze').getByTestId('submit-start_freeze'));
    await freezeRunning();
    await type(tablet.locator('#end_freeze-lowestTempC'), '45');
    await type(tablet.locator('#end_freeze-iceBallMm'), '9');
    await happenedMinutesAgo('end_freeze', 3);
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
    expect(Date.parse(cycle.freezeEndedAt) - Date.parse(cycle.freezeStartedAt)).toBe(60_000);
    await happenedMinutesAgo('end_thaw', 2);
    await tap(next('end_thaw').getByTestId('submit-end_thaw'));
    // The unit's usual second cycle is the next step itself, not under "Autres actions".
    await next('start_freeze').waitFor();
    console.log(`taps for one freeze/thaw cycle, with an unexpected temperature confirmed: ${taps}`);
  });

  it('proposes the second cycle as the next step, a temperature in range goes in one tap, then the probe comes out', async () => {
    taps = 0;
    // Started a minute back, so ending it now is past the minimum.
    await happenedMinutesAgo('start_freeze', 1);
    await tap(next('start_freeze').getByTestId('submit-start_freeze'));
    await freezeRunning();
    await type(tablet.locator('#end_freeze-lowestTempC'), '82');
    await type(tablet.locator('#end_freeze-iceBallMm'), '10');
    await tap(next('end_freeze').getByTestId('submit-end_freeze'));
    await next('end_thaw').waitFor();
    expect(await tablet.getByTestId('confirm-end_freeze').count()).toBe(0);
    await tap(next('end_thaw').getByTestId('submit-end_thaw'));
    await next('remove_probe').waitFor();
    console.log(`taps for the second freeze/thaw cycle: ${taps}`);
    expect(taps).toBe(5);
    expect((await radiologist.get(`/api/cases/${caseId}`)).body.case.cycles.map((c: { lowestTempC: number }) => c.lowestTempC)).toEqual([-45, -82]);
  });
});
