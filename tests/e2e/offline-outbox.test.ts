import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../support/api';
import { minutesAgo, wholeDay } from '../support/day';
import { scheduleInThePast, signIn, waitConnected } from '../support/e2e';
import { openWalk, type Walk } from '../support/walk';

// A shielded CT room: the Wi-Fi drops while the nurse records at the bedside. Her steps wait on the
// tablet, survive a reload with no network, and reach the server once, with the time she tapped them.

/** A case whose patient has just started observation: the next steps are vitals, then the PADSS. */
async function observedCase(walk: Walk) {
  const users = { nurse: await Api.login(walk.server, 'nurse'), radiologist: await Api.login(walk.server, 'radiologist') };
  const caseId = scheduleInThePast(walk.server, walk.coordinator, 180);
  const room = await users.nurse.freeRoom();
  const steps = wholeDay(room, minutesAgo(Date.now())).filter(([, c]) => !['record_vitals', 'record_padss', 'discharge'].includes(c.type));
  for (const [who, command] of steps) await users[who].command(caseId, command);
  return caseId;
}

/** The tablet on the case, with the service worker in control of the page (so a reload works offline). */
async function openCaseOffline(walk: Walk, caseId: string) {
  const nurse = await signIn(walk.browser, walk.server, 'nurse');
  await nurse.goto(`${walk.server.url}/cases/${caseId}`);
  await waitConnected(nurse);
  await nurse.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  });
  return nurse;
}

async function recordVitals(page: Page) {
  const form = page.getByTestId('next-step').getByTestId('form-record_vitals');
  await form.getByLabel('Fréquence cardiaque (bpm)').fill('74');
  await form.getByLabel('PA systolique (mmHg)').fill('122');
  await form.getByLabel('PA diastolique (mmHg)').fill('78');
  await form.getByLabel('SpO2 (%)').fill('98');
  await form.getByTestId('submit-record_vitals').click();
}

async function recordPadss(page: Page) {
  const form = page.getByTestId('next-step').getByTestId('form-record_padss');
  for (const item of ['vitalSigns', 'activity', 'nauseaVomiting', 'pain', 'bleeding']) await form.locator(`input[name="padss-${item}"][value="2"]`).check();
  await form.getByTestId('submit-record_padss').click();
}

/** The Wi-Fi comes back: the browser says so (the page does not wait for its reconnection backoff). */
const wifiBack = (page: Page) => page.evaluate(() => dispatchEvent(new Event('online')));

const nextStep = (page: Page) => page.getByTestId('next-step').getAttribute('data-command');

describe('a tablet that keeps working through a Wi-Fi drop', () => {
  let walk: Walk;

  beforeAll(async () => {
    walk = await openWalk({}, { restartable: true });
  });
  afterAll(() => walk?.close());

  it('records vitals and a PADSS with the server gone, keeps both through a reload, and sends each once with its tap time', async () => {
    const caseId = await observedCase(walk);
    const nurse = await openCaseOffline(walk, caseId);
    const before = (await (await Api.login(walk.server, 'nurse')).get(`/api/cases/${caseId}`)).body.case.version as number;

    await walk.stop();
    await nurse.getByTestId('connection-lost').waitFor({ timeout: 5000 });
    const tappedFrom = Date.now();
    await recordVitals(nurse);
    await expect.poll(() => nextStep(nurse)).toBe('record_padss');
    await recordPadss(nurse);
    const tappedTo = Date.now();
    const badge = nurse.getByTestId('pending-count');
    await expect.poll(() => badge.textContent()).toBe('2 actions en attente');
    expect(await nurse.getByTestId('pending-steps').locator('[data-state="waiting"]').count()).toBe(2);

    // Reloaded with no server at all: the page comes from the service worker, the case from the tablet.
    await nurse.reload();
    await nurse.getByTestId('case-view').waitFor();
    expect(await badge.textContent()).toBe('2 actions en attente');
    expect(await nurse.getByTestId('pending-record_vitals').textContent()).toContain('en attente du réseau');
    expect(await nurse.getByTestId('pending-record_padss').count()).toBe(1);
    await nurse.getByTestId('connection-lost').waitFor();
    expect(Number(await nurse.getByTestId('case-view').getAttribute('data-version'))).toBe(before + 2);

    const restartedAt = Date.now();
    await walk.restart();
    await wifiBack(nurse);
    await waitConnected(nurse, 15_000);
    await badge.waitFor({ state: 'detached', timeout: 5000 });
    await nurse.getByTestId('pending-steps').waitFor({ state: 'detached' });

    const { body } = await (await Api.login(walk.server, 'nurse')).get(`/api/cases/${caseId}`);
    expect(body.case.version).toBe(before + 2);
    const recorded = (type: string) => body.timeline.filter((e: { type: string }) => e.type === type);
    expect(recorded('VitalsRecorded')).toHaveLength(1);
    expect(recorded('PadssRecorded')).toHaveLength(1);
    for (const event of [...recorded('VitalsRecorded'), ...recorded('PadssRecorded')]) {
      // Dated when she tapped, recorded when the server was back.
      expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(tappedFrom - 1000);
      expect(Date.parse(event.occurredAt)).toBeLessThanOrEqual(tappedTo);
      expect(Date.parse(event.recordedAt)).toBeGreaterThanOrEqual(restartedAt);
    }
    const shown = nurse.locator('[data-testid="timeline"] li[data-event="PadssRecorded"]');
    await shown.waitFor();
    expect(await shown.getAttribute('data-occurred-at')).toBe(recorded('PadssRecorded')[0].occurredAt);
    expect(await shown.getAttribute('data-recorded-at')).toBe(recorded('PadssRecorded')[0].recordedAt);
    await nurse.context().close();
  });

  it('sends a step whose answer was lost again with the same key after a server restart, and the server counts it once', async () => {
    const caseId = await observedCase(walk);
    const nurse = await openCaseOffline(walk, caseId);
    const keys: string[] = [];
    await nurse.route('**/api/cases/*/commands', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      // The first attempt reaches the server and is recorded; its answer, like every later attempt, is lost.
      if (keys.length === 1) await route.fetch();
      await route.abort('connectionreset');
    });
    await recordVitals(nurse);
    const badge = nurse.getByTestId('pending-count');
    await expect.poll(() => badge.textContent()).toBe('1 action en attente');

    await walk.stop();
    await nurse.unroute('**/api/cases/*/commands');
    await walk.restart();
    await wifiBack(nurse);
    await waitConnected(nurse, 15_000);
    await badge.waitFor({ state: 'detached', timeout: 5000 });

    const { body } = await (await Api.login(walk.server, 'nurse')).get(`/api/cases/${caseId}`);
    expect(body.timeline.filter((e: { type: string }) => e.type === 'VitalsRecorded')).toHaveLength(1);
    expect(new Set(keys).size).toBe(1);
    expect(await nurse.getByTestId('pending-steps').count()).toBe(0);
    await nurse.context().close();
  });
});
