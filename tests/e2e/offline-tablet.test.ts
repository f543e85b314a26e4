import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, TEST_PASSWORD } from '../support/api';
import { displayToken, openBoard, waitConnected } from '../support/e2e';
import { observedCase, openCaseOffline, recordVitals, wifiBack } from '../support/offline';
import { openWalk, type Walk } from '../support/walk';

// What stays on a tablet, and what does not: a half-typed form survives a reload with no network,
// the wall board repaints its last known day, and signing out leaves nothing of the session behind.
describe('what a tablet keeps offline', () => {
  let walk: Walk;

  beforeAll(async () => {
    walk = await openWalk({}, { restartable: true });
  });
  afterAll(() => walk?.close());

  it('keeps a half-typed PADSS through a reload offline; signing out with a step waiting asks first, then clears the outbox, drafts and kept answers, and ends the session once the server is back', async () => {
    const caseId = await observedCase(walk);
    const nurse = await openCaseOffline(walk, caseId);
    await walk.stop();
    await nurse.getByTestId('connection-lost').waitFor({ timeout: 5000 });
    await recordVitals(nurse);
    const padss = nurse.getByTestId('next-step').getByTestId('form-record_padss');
    await padss.locator('input[name="padss-activity"][value="1"]').check();

    await nurse.reload();
    await nurse.getByTestId('case-view').waitFor();
    await expect.poll(() => nurse.getByTestId('next-step').getByTestId('form-record_padss').locator('input[name="padss-activity"][value="1"]').isChecked()).toBe(true);
    expect(await nurse.getByTestId('pending-count').textContent()).toBe('1 action en attente');

    await nurse.getByTestId('sign-out').click();
    expect(await nurse.getByTestId('sign-out-pending').textContent()).toContain('1 action en attente ne sera pas envoyée');
    expect(new URL(nurse.url()).pathname).toBe(`/cases/${caseId}`);
    await nurse.getByTestId('sign-out').click();
    await nurse.waitForURL(/\/login/);

    const left = await nurse.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('cryoday-offline');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const count = (store: string) =>
        new Promise<number>((resolve) => {
          const request = db.transaction(store).objectStore(store).count();
          request.onsuccess = () => resolve(request.result);
        });
      return {
        outbox: await count('outbox'),
        answers: await count('answers'),
        drafts: Object.keys(localStorage).filter((k) => k.startsWith('cryoday:draft:')).length,
        caches: (await caches.keys()).filter((k) => !k.startsWith('cryoday-shell-')),
      };
    });
    expect(left).toEqual({ outbox: 0, answers: 0, drafts: 0, caches: [] });

    // Back online: the sign-out the server never heard is done at the next load, before anything else.
    await walk.restart();
    await wifiBack(nurse);
    await nurse.goto(`${walk.server.url}/cases/${caseId}`);
    await nurse.waitForURL(/\/login/);
    expect(await nurse.evaluate(() => fetch('/api/auth/me').then((r) => r.status))).toBe(401);

    // Signed in again: nothing was sent on her behalf, nothing waits.
    await nurse.locator('input[name=username]').fill('nurse');
    await nurse.locator('input[name=password]').fill(TEST_PASSWORD);
    await nurse.locator('form button[type=submit]').click();
    await nurse.getByTestId('current-user').waitFor();
    expect(await nurse.getByTestId('pending-count').count()).toBe(0);
    const { body } = await (await Api.login(walk.server, 'nurse')).get(`/api/cases/${caseId}`);
    expect(body.timeline.filter((e: { type: string }) => e.type === 'VitalsRecorded')).toHaveLength(0);
    await nurse.context().close();
  });

  it('the wall board reloaded while the server is unreachable paints its last known day under the banner', async () => {
    const caseId = await observedCase(walk);
    const board = await openBoard(walk.browser, walk.server, displayToken(walk.server), 'fr', false, 'allow');
    await board.getByTestId(`board-card-${caseId}`).waitFor();
    await board.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    });
    await expect.poll(() => board.evaluate(() => localStorage.getItem('cryoday:board') !== null)).toBe(true);

    await walk.stop();
    await board.reload();
    await board.getByTestId(`board-card-${caseId}`).waitFor({ timeout: 5000 });
    expect(await board.getByTestId('connection-lost').textContent()).toMatch(/Connexion perdue depuis \d\d:\d\d/);
    const kept = await board.evaluate(() => localStorage.getItem('cryoday:board') ?? '');
    expect(kept).not.toContain('MRN');
    expect(kept).not.toContain('Durand');

    await walk.restart();
    await wifiBack(board);
    await waitConnected(board, 15_000);
    expect(await board.getByTestId('connection-lost').count()).toBe(0);
    await board.context().close();
  });
});
