import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, COMPLETE_CHECKLIST, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { LIDOCAINE, minutesAgo, timeOutOf } from '../support/day';
import { requireBuiltSite, scheduleInThePast, signIn, waitConnected } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// "Congélation terminée" corrected (the temperature was mistyped) re-opens the freeze; ending it again
// from the tablet offers the time it had really ended, so the cycle keeps its true duration.
describe('ending a freeze again after correcting its end', () => {
  let server: TestServer;
  let browser: Browser;
  let caseId: string;
  let radiologist: Api;
  const at = minutesAgo(Date.now());
  // Whole seconds on purpose: the original instant must come back to the second, not rounded to the minute.
  const startedAt = new Date(Date.parse(at(30)) - 17_000).toISOString();
  const endedAt = new Date(Date.parse(at(9)) - 37_000).toISOString();

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer();
    const staff = await seedStaff(server);
    caseId = await scheduleInThePast(server, { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' }, 90);
    const nurse = await Api.login(server, 'nurse');
    radiologist = await Api.login(server, 'radiologist');
    const room = await nurse.freeRoom();
    for (const [who, command] of [
      [nurse, { type: 'admit', occurredAt: at(80) }],
      [nurse, { type: 'record_checklist', ...COMPLETE_CHECKLIST, occurredAt: at(75) }],
      [nurse, { type: 'mark_ready', occurredAt: at(70) }],
      [nurse, { type: 'enter_room', roomId: room, occurredAt: at(50) }],
      [nurse, { ...timeOutOf([{ nerve: 'genicular', side: 'right' }]), occurredAt: at(47) }],
      [radiologist, { ...LIDOCAINE, occurredAt: at(45) }],
      [radiologist, { type: 'position_probe', target: { nerve: 'genicular', side: 'right' }, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 }, occurredAt: at(40) }],
      [radiologist, { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180, occurredAt: startedAt }],
      [radiologist, { type: 'end_freeze', lowestTempC: -48, thawMode: 'passive', occurredAt: endedAt }],
    ] as const)
      await who.command(caseId, command);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('offers the original end time after the correction, and the cycle keeps its real 21 minutes', async () => {
    const tablet = await signIn(browser, server, 'radiologist');
    await tablet.goto(`${server.url}/cases/${caseId}`);
    await waitConnected(tablet);

    await tablet.getByTestId('action-correct_last').click();
    const correction = tablet.getByTestId('form-correct_last');
    await correction.getByLabel('Motif').fill('Température mal saisie (−48 au lieu de −80)');
    await correction.getByTestId('submit-correct_last').click();
    await tablet.locator('[data-testid="case-stage"][data-stage="freezing"]').waitFor();

    const form = tablet.locator('[data-testid="next-step"][data-command="end_freeze"]').getByTestId('form-end_freeze');
    const original = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(endedAt));
    expect(await form.getByTestId('original-time').textContent()).toContain(original);
    expect(await form.locator('#end_freeze-at').inputValue()).toBe(original);
    await form.getByLabel('Température la plus basse (°C)').fill('80');
    await form.getByTestId('submit-end_freeze').click();
    await tablet.locator('[data-testid="case-stage"][data-stage="thawing"]').waitFor();

    const cycle = (await radiologist.get(`/api/cases/${caseId}`)).body.case.cycles[0];
    expect([cycle.freezeEndedAt, cycle.lowestTempC]).toEqual([endedAt, -80]);
    expect(Math.round((Date.parse(cycle.freezeEndedAt) - Date.parse(cycle.freezeStartedAt)) / 60_000)).toBe(21);
    // Once the freeze has ended again, nothing more is offered.
    expect(await tablet.getByTestId('original-time').count()).toBe(0);
    await tablet.context().close();
  });
});
