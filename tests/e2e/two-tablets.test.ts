import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, COMPLETE_CHECKLIST, newCaseBody, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { LIDOCAINE, minutesAgo, sendSpaced, timeOutOf } from '../support/day';
import { requireBuiltSite, scheduleInThePast, signIn, waitConnected } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

/**
 * The live feed of one tablet goes through a route the test controls: while `stalled`, nothing the
 * server sends reaches the page (hospital Wi-Fi that keeps the socket open and delivers nothing);
 * `drop()` closes the socket as a lost connection would.
 */
async function routedFeed(page: Page) {
  const feed = { stalled: false, sockets: [] as WebSocketRoute[], drop: () => feed.sockets.forEach((s) => s.close({ code: 1006 })) };
  await page.routeWebSocket(/\/api\/live/, (ws) => {
    const server = ws.connectToServer();
    feed.sockets.push(ws);
    server.onMessage((message) => {
      if (!feed.stalled) ws.send(message);
    });
  });
  return feed;
}

async function openCase(page: Page, server: TestServer, caseId: string) {
  await page.goto(`${server.url}/cases/${caseId}`);
  await waitConnected(page);
  await page.getByTestId('case-view').waitFor();
}

describe('two tablets on one case', () => {
  let server: TestServer;
  let browser: Browser;
  let nurse: Api;
  let radiologist: Api;
  let coordinator: Api;
  let coordinatorActor: { id: string; name: string; role: 'coordinator' };

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer();
    const staff = await seedStaff(server);
    coordinatorActor = { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' };
    [nurse, radiologist, coordinator] = (await Promise.all(['nurse', 'radiologist', 'coordinator'].map((u) => Api.login(server, u)))) as [Api, Api, Api];
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it("keeps a colleague's saved checklist answers: the clashing ones side by side to choose, the others taken silently; a stale save is refused", async () => {
    const caseId = (await coordinator.post('/api/cases', newCaseBody())).body.case.id as string;
    await nurse.command(caseId, { type: 'admit' });
    const [a, b] = await Promise.all([signIn(browser, server, 'nurse'), signIn(browser, server, 'nurse')]);
    await openCase(a, server, caseId);
    await openCase(b, server, caseId);
    const formA = a.getByTestId('form-record_checklist');
    const formB = b.getByTestId('form-record_checklist');

    // Nurse B types a draft and does not save it.
    await formB.locator('input[name="allergies"][value="yes"]').check();
    await formB.locator('input[name="allergens"][value="other"]').check();
    await formB.getByLabel('Détail des allergies').fill('Pénicilline');
    await formB.getByLabel("Nom de l'accompagnant").fill('Sophie Roux');
    await formB.getByLabel("Téléphone de l'accompagnant").fill('06 11 22 33 44');
    const versionB = Number(await b.getByTestId('case-view').getAttribute('data-version'));

    // Nurse A saves other answers for the same fields, and identity, which B never touched.
    await formA.locator('input[type=checkbox]').first().check();
    await formA.locator('input[name="allergies"][value="no"]').check();
    await formA.getByLabel("Nom de l'accompagnant").fill('Marc Roux');
    await formA.getByLabel("Téléphone de l'accompagnant").fill('06 98 76 54 32');
    await formA.getByTestId('submit-record_checklist').click();
    await a.locator('[data-testid="form-record_checklist"][data-dirty="false"]').waitFor();

    const conflicts = formB.getByTestId('checklist-conflicts');
    await conflicts.waitFor();
    expect(await conflicts.locator('fieldset').count()).toBe(3);
    expect(await formB.getByTestId('conflict-allergies').textContent()).toContain('Oui');
    expect(await formB.getByTestId('conflict-allergies').textContent()).toContain('Non');
    expect(await formB.getByTestId('conflict-escortName').textContent()).toContain('Marc Roux');
    expect(await formB.getByTestId('conflict-escortName').textContent()).toContain('Sophie Roux');
    // Taken silently: A's identity tick; kept: B's allergen and allergy detail, which A did not change.
    expect(await formB.locator('input[type=checkbox]').first().isChecked()).toBe(true);
    expect(await formB.locator('input[name="allergens"][value="other"]').isChecked()).toBe(true);
    expect(await formB.getByLabel('Détail des allergies').inputValue()).toBe('Pénicilline');
    expect(await formB.getByTestId('submit-record_checklist').isDisabled()).toBe(true);

    // The server refuses a save made on B's view from before A's save.
    const stale = await nurse.post(`/api/cases/${caseId}/commands`, { type: 'record_checklist', expectedVersion: versionB, allergies: { has: true, allergens: ['other'], details: 'Pénicilline' } });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('version_conflict');

    await formB.getByTestId('conflict-allergies').getByTestId('keep-mine').click();
    await formB.getByTestId('conflict-escortName').getByTestId('take-theirs').click();
    await formB.getByTestId('conflict-escortPhone').getByTestId('take-theirs').click();
    expect(await formB.getByTestId('checklist-conflicts').count()).toBe(0);
    expect(await formB.getByLabel("Nom de l'accompagnant").inputValue()).toBe('Marc Roux');
    await formB.getByTestId('submit-record_checklist').click();
    await b.locator('[data-testid="form-record_checklist"][data-dirty="false"]').waitFor();

    const saved = (await nurse.get(`/api/cases/${caseId}`)).body.case.checklist;
    expect(saved.identityVerified).toBe(true);
    expect(saved.allergies).toEqual({ has: true, allergens: ['other'], details: 'Pénicilline' });
    expect(saved.escort).toEqual({ name: 'Marc Roux', phone: '06 98 76 54 32' });
    await a.context().close();
    await b.context().close();
  });

  it('a stalled tablet refused as stale reloads the case and says what changed, in words', async () => {
    // Booked and taken in a few minutes ago, so the first freeze can start two minutes ago and last
    // longer than a mis-tap.
    const room = await nurse.freeRoom();
    const caseId = await scheduleInThePast(server, coordinatorActor, 15, { plannedRoomId: room });
    const target = { nerve: 'genicular', side: 'right' } as const;
    await sendSpaced(
      { nurse, radiologist },
      caseId,
      [
        ['nurse', { type: 'admit' }],
        ['nurse', { type: 'record_checklist', ...COMPLETE_CHECKLIST }],
        ['nurse', { type: 'mark_ready' }],
        ['nurse', { type: 'enter_room', roomId: room }],
        ['nurse', timeOutOf([target])],
        ['radiologist', LIDOCAINE],
        ['radiologist', { type: 'position_probe', target, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 } }],
        ['radiologist', { type: 'record_stimulation', result: 'sensory' }],
      ],
      3,
    );

    const tablet = await signIn(browser, server, 'radiologist');
    const feed = await routedFeed(tablet);
    await openCase(tablet, server, caseId);

    // A confirm strip armed here disappears when the step is no longer possible.
    await tablet.getByTestId('action-remove_probe').click();
    await tablet.getByTestId('confirm-remove_probe').waitFor();
    await radiologist.command(caseId, { type: 'start_freeze', gas: 'n2o', plannedSeconds: 240, occurredAt: minutesAgo(Date.now())(2) });
    await tablet.getByTestId('confirm-remove_probe').waitFor({ state: 'detached' });
    await radiologist.command(caseId, { type: 'end_freeze', lowestTempC: -80, iceBallMm: 9, thawMode: 'passive' });
    await radiologist.command(caseId, { type: 'end_thaw' });
    const thawed = (await radiologist.get(`/api/cases/${caseId}`)).body.case.version;
    await expect.poll(() => tablet.getByTestId('case-view').getAttribute('data-version'), { timeout: 5000 }).toBe(String(thawed));

    // The feed stalls; meanwhile the colleague starts a second freeze.
    feed.stalled = true;
    await radiologist.command(caseId, { type: 'start_freeze', gas: 'n2o', plannedSeconds: 240 });
    // Whether taking the probe out is the next step or a side action (two taps), as the screen offers it.
    if ((await tablet.getByTestId('action-remove_probe').count()) > 0) {
      await tablet.getByTestId('action-remove_probe').click();
      await tablet.waitForTimeout(450);
      await tablet.getByTestId('action-remove_probe').click();
    } else await tablet.getByTestId('next-step').getByTestId('submit-remove_probe').click();

    const notice = tablet.getByTestId('changed-meanwhile');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/Congélation démarrée par Dr Roche à \d\d:\d\d/);
    expect(await notice.textContent()).not.toContain('version');
    expect(await tablet.getByTestId('case-stage').getAttribute('data-stage')).toBe('freezing');
    expect((await radiologist.get(`/api/cases/${caseId}`)).body.case.stage).toBe('freezing');

    // The temperature's pattern compiles, so the browser itself refuses what is not a number.
    const temperature = tablet.locator('#end_freeze-lowestTempC');
    await temperature.fill('−8o');
    expect(await temperature.evaluate((input: HTMLInputElement) => input.validity.patternMismatch)).toBe(true);
    await temperature.fill('−80,5');
    expect(await temperature.evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(true);
    await tablet.context().close();
  });

  it('a step tapped while the tablet is offline waits in the outbox instead of being refused, and goes once it is connected again', async () => {
    const caseId = (await coordinator.post('/api/cases', newCaseBody())).body.case.id as string;
    await nurse.command(caseId, { type: 'admit' });
    await nurse.command(caseId, { type: 'record_checklist', ...COMPLETE_CHECKLIST });
    const tablet = await signIn(browser, server, 'nurse');
    const feed = await routedFeed(tablet);
    await openCase(tablet, server, caseId);

    await tablet.context().setOffline(true);
    feed.drop();
    await tablet.getByTestId('next-step').getByTestId('submit-mark_ready').click();
    await tablet.locator('[data-testid="pending-mark_ready"][data-state="waiting"]').waitFor();
    expect(await tablet.getByTestId('action-error').count()).toBe(0);
    expect(await tablet.getByTestId('pending-count').textContent()).toBe('1 action en attente');

    await tablet.context().setOffline(false);
    await waitConnected(tablet, 15_000);
    await tablet.getByTestId('pending-steps').waitFor({ state: 'detached' });
    expect((await nurse.get(`/api/cases/${caseId}`)).body.case.stage).toBe('ready');
    await tablet.context().close();
  });

  it("checks the escort phone's pattern in the browser (it compiles), and the Today page of another day raises no error", async () => {
    const caseId = (await coordinator.post('/api/cases', newCaseBody())).body.case.id as string;
    await nurse.command(caseId, { type: 'admit' });
    const tablet = await signIn(browser, server, 'nurse');
    await openCase(tablet, server, caseId);
    const phone = tablet.getByTestId('form-record_checklist').getByLabel("Téléphone de l'accompagnant");
    await phone.fill('06 12 ab');
    expect(await phone.evaluate((input: HTMLInputElement) => input.validity.patternMismatch)).toBe(true);
    await phone.fill('+33 (0)6 12-34.56');
    expect(await phone.evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(true);


    await tablet.goto(`${server.url}/`);
    await tablet.getByTestId('day-filter').fill('2026-01-05');
    await tablet.getByTestId('day-filter').dispatchEvent('change');
    await tablet.getByText(/Aucun|Chargement/).first().waitFor();
    await tablet.getByTestId('day-filter').fill(new Date().toISOString().slice(0, 10));
    await tablet.getByTestId('day-filter').dispatchEvent('change');
    await tablet.waitForTimeout(300);
    await tablet.context().close();
  });
});
