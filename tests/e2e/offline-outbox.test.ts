import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, TEST_PASSWORD } from '../support/api';
import { waitConnected } from '../support/e2e';
import { nextStep, observedCase, openCaseOffline, recordPadss, recordVitals, wifiBack } from '../support/offline';
import { openWalk, type Walk } from '../support/walk';

// A shielded CT room: the Wi-Fi drops while the nurse records at the bedside. Her steps wait on the
// tablet, survive a reload with no network, and reach the server once, with the time she tapped them.

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
    await nurse.getByTestId('case-view').waitFor({ timeout: 10_000 });
    expect(await badge.textContent()).toBe('2 actions en attente');
    expect(await nurse.getByTestId('pending-record_vitals').textContent()).toContain('en attente d’envoi');
    expect(await nurse.getByTestId('pending-record_padss').count()).toBe(1);
    await nurse.getByTestId('connection-lost').waitFor();
    expect(Number(await nurse.getByTestId('case-view').getAttribute('data-version'))).toBe(before + 2);
    // What came back came from the tablet's own store: the service worker's cache holds the shell, no API answer.
    const cached = await nurse.evaluate(async () =>
      (await Promise.all((await caches.keys()).map(async (key) => (await (await caches.open(key)).keys()).map((r) => new URL(r.url).pathname)))).flat(),
    );
    expect(cached).toContain('/');
    expect(cached.filter((path) => path.startsWith('/api/'))).toEqual([]);

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
    await shown.waitFor({ timeout: 10_000 });
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

  it('an expired session during the replay asks her to sign in again, then sends the step as her', async () => {
    const caseId = await observedCase(walk);
    const nurse = await openCaseOffline(walk, caseId);
    await walk.stop();
    await nurse.getByTestId('connection-lost').waitFor({ timeout: 5000 });
    await recordVitals(nurse);
    await nurse.getByTestId('pending-record_vitals').waitFor({ timeout: 10_000 });
    await nurse.context().clearCookies();

    await walk.restart();
    await wifiBack(nurse);
    await nurse.getByTestId('session-expired').waitFor({ timeout: 10_000 });
    await nurse.locator('input[name=username]').fill('nurse');
    await nurse.locator('input[name=password]').fill(TEST_PASSWORD);
    await nurse.locator('form button[type=submit]').click();
    await nurse.waitForURL(`${walk.server.url}/cases/${caseId}`, { timeout: 10_000 });
    await nurse.getByTestId('case-view').waitFor({ timeout: 10_000 });
    await nurse.getByTestId('pending-steps').waitFor({ state: 'detached', timeout: 10_000 });

    const { body } = await (await Api.login(walk.server, 'nurse')).get(`/api/cases/${caseId}`);
    const vitals = body.timeline.filter((e: { type: string }) => e.type === 'VitalsRecorded');
    expect(vitals.map((v: { actor: { id: string } }) => v.actor.id)).toEqual([walk.staff.nurse.id]);
    await nurse.context().close();
  });
});
