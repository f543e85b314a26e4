import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, COMPLETE_CHECKLIST, newCaseBody, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { LIDOCAINE, timeOutOf } from '../support/day';
import { displayToken, openBoard, requireBuiltSite } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// The wall board sizes its type to the space and the patients it shows. A timer ticking (the freeze
// clock, "9 min" becoming "10 min") must not make the rooms change size; a patient arriving shrinks
// the type at once (nothing is ever cut), a patient leaving grows it back only after a pause.
describe('the wall board type as the day moves', () => {
  let server: TestServer;
  let browser: Browser;
  let board: Page;
  let coordinator: Api;
  let nurse: Api;

  const cards = () => board.locator('[data-testid^="board-card-"]').count();
  const admission = () => board.getByTestId('lane-admission').locator('[data-fitted]');
  const fitted = async () => Number(await admission().getAttribute('data-fitted'));
  const frames = (n: number) => board.evaluate((count) => new Promise<void>((resolve) => {
    const next = (left: number) => (left === 0 ? resolve() : requestAnimationFrame(() => next(left - 1)));
    next(count);
  }), n);
  const schedule = async () => (await coordinator.post('/api/cases', newCaseBody({ plannedRoomId: 'room-2' }))).body.case.id as string;

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer({ ROOMS: 'Salle 1,Salle 2' });
    await seedStaff(server);
    [coordinator, nurse] = await Promise.all([Api.login(server, 'coordinator'), Api.login(server, 'nurse')]);
    const radiologist = await Api.login(server, 'radiologist');
    // Room 1 freezing, its timer ticking every second; ten patients waiting.
    const frozen = (await coordinator.post('/api/cases', newCaseBody({ plannedRoomId: 'room-1' }))).body.case.id as string;
    for (const command of [
      { type: 'admit' },
      { type: 'record_checklist', ...COMPLETE_CHECKLIST },
      { type: 'mark_ready' },
      { type: 'enter_room', roomId: 'room-1' },
      timeOutOf([{ nerve: 'genicular', side: 'right' }]),
    ])
      await nurse.command(frozen, command);
    for (const command of [
      LIDOCAINE,
      { type: 'position_probe', target: { nerve: 'genicular', side: 'right' }, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 } },
      { type: 'start_freeze', gas: 'n2o', plannedSeconds: 600 },
    ])
      await radiologist.command(frozen, command);
    for (let i = 0; i < 10; i++) await nurse.command(await schedule(), { type: 'admit' });
    browser = await launchChromium();
    board = await openBoard(browser, server, displayToken(server));
    await board.getByTestId('room-column-room-1').getByTestId('freeze-timer').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('is not re-fitted while the timers tick', async () => {
    await expect.poll(cards).toBe(11);
    // Whatever fitting the first snapshot started has ended.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const timer = board.getByTestId('room-column-room-1').getByTestId('freeze-timer');
    const before = await timer.textContent();
    // Every fit writes data-fitted; count the writes on every fitted block for a few seconds of ticking.
    const fits = await board.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let writes = 0;
          const observer = new MutationObserver((records) => (writes += records.length));
          for (const el of document.querySelectorAll('[data-fitted]')) observer.observe(el, { attributes: true, attributeFilter: ['data-fitted'] });
          setTimeout(() => {
            observer.disconnect();
            resolve(writes);
          }, 3500);
        }),
    );
    expect(await timer.textContent()).not.toBe(before);
    expect(fits).toBe(0);
  });

  it('shrinks at once when patients arrive, and grows back only after a pause when they leave', async () => {
    const start = await fitted();
    expect(start).toBeLessThan(40); // ten waiting patients: below the lane's largest size
    const arrivals: string[] = [];
    for (let i = 0; i < 10; i++) arrivals.push(await schedule());
    await expect.poll(cards).toBe(21);
    await frames(2);
    const crowded = await fitted();
    expect(crowded).toBeLessThan(start);
    // Nothing cut at the smaller size.
    expect(await admission().evaluate((el) => (el as HTMLElement).offsetHeight <= el.parentElement!.clientHeight)).toBe(true);

    for (const id of arrivals) await nurse.command(id, { type: 'cancel', reason: 'no_show' });
    await expect.poll(() => board.getByTestId('lane-admission').getByTestId('lane-count').textContent()).toBe('10');
    await frames(2);
    // The space is back, the type does not jump up at once (the lane narrowing as they left may even
    // have made it shrink a little on the way)...
    const justAfter = await fitted();
    expect(justAfter).toBeLessThanOrEqual(crowded);
    // ...but grows once the space stays.
    await expect.poll(fitted, { timeout: 5000 }).toBeGreaterThan(crowded);
    expect(await fitted()).toBe(start);
  });
});
