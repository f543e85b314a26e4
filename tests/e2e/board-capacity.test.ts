import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, COMPLETE_CHECKLIST, bookCaseInThePast, newCaseBody, seedStaff } from '../support/api';
import { LIDOCAINE, SIGN_OUT_COMMAND, sendSpaced, timeOutOf } from '../support/day';
import { launchChromium } from '../support/browser';
import { displayToken, openBoard, requireBuiltSite } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

const ROOMS = ['Salle 1', 'Salle 2', 'Salle 3', 'Salle 4', 'Salle 5', 'Salle 6'];
// Read from 4 m: the patient, the stage and how long it has lasted, on every card still in progress.
const MIN_FONT_PX = 24;

// A busy day on the wall: 6 rooms and 25 patients (in rooms, one freezing; waiting, some with alerts;
// in observation; done) fit a 1920×1080 screen, nothing scrolls or is cut off, and it stays readable.
describe('the wall board at full load', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer({ ROOMS: ROOMS.join(',') });
    const staff = await seedStaff(server);
    const coordinator = await Api.login(server, 'coordinator');
    const nurse = await Api.login(server, 'nurse');
    const radiologist = await Api.login(server, 'radiologist');
    const names = ['Alice', 'Bruno', 'Chloé', 'David', 'Emma', 'Farid', 'Gaëlle', 'Hugo', 'Inès', 'Jules', 'Karine', 'Léo', 'Manon'];
    // Every slot on the unit's today, whatever the hour the test runs: from 11:00 UTC (noon or 1 pm in
    // Paris) 20 minutes apart, never past midnight, where a patient would leave the wall for tomorrow.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const noon = Date.parse(`${today}T11:00:00Z`);
    // booked: how many minutes ago the case was booked, for a patient whose steps are back-dated.
    const schedule = async (i: number, room: string, booked?: number) => {
      const body = newCaseBody({ scheduledAt: new Date(noon + (i - 8) * 20 * 60_000).toISOString(), plannedRoomId: room });
      (body.patient as { firstName: string }).firstName = names[i % names.length]!;
      if (booked !== undefined) return bookCaseInThePast(server, staff.coordinator, booked, body);
      return (await coordinator.post('/api/cases', body)).body.case.id as string;
    };
    const target = { nerve: 'genicular', side: 'right' };
    const intoRoom = async (id: string, roomId: string) => {
      for (const command of [{ type: 'admit' }, { type: 'record_checklist', ...COMPLETE_CHECKLIST }, { type: 'mark_ready' }, { type: 'enter_room', roomId }, timeOutOf([target])])
        await nurse.command(id, command);
    };
    const probe = { type: 'position_probe', target, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 } };

    // 3 in observation (one with abnormal vitals), passed through room 6 before its own patient:
    // booked in the past and played a minute a step, so each freeze lasts long enough to count.
    for (let i = 0; i < 3; i++) {
      const body = newCaseBody({ scheduledAt: new Date(noon + (i - 8) * 20 * 60_000).toISOString(), plannedRoomId: 'room-6' });
      (body.patient as { firstName: string }).firstName = names[i % names.length]!;
      const id = await bookCaseInThePast(server, staff.coordinator, 30, body);
      await sendSpaced({ nurse, radiologist }, id, [
        ['nurse', { type: 'admit' }],
        ['nurse', { type: 'record_checklist', ...COMPLETE_CHECKLIST }],
        ['nurse', { type: 'mark_ready' }],
        ['nurse', { type: 'enter_room', roomId: 'room-6' }],
        ['nurse', timeOutOf([target])],
        ['radiologist', LIDOCAINE],
        ['radiologist', probe],
        ['radiologist', { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 }],
        ['radiologist', { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' }],
        ['radiologist', { type: 'end_thaw' }],
        ['radiologist', { type: 'remove_probe' }],
        ['nurse', { type: 'apply_dressing' }],
        ['nurse', SIGN_OUT_COMMAND],
        ['nurse', { type: 'start_observation' }],
        ['nurse', { type: 'record_vitals', heartRate: i === 0 ? 130 : 75, systolic: 125, diastolic: 80, spo2: 97 }],
      ]);
      expect((await nurse.post('/api/rooms/room-6/commands', { type: 'room_ready' })).status).toBe(200);
    }
    // 6 in the rooms; room 1 freezing (its timer running), room 2 with the probe in.
    for (let r = 1; r <= 6; r++) {
      const id = await schedule(2 + r, `room-${r}`);
      await intoRoom(id, `room-${r}`);
      if (r <= 2) {
        await radiologist.command(id, LIDOCAINE);
        await radiologist.command(id, probe);
      }
      if (r === 1) await radiologist.command(id, { type: 'start_freeze', gas: 'n2o', plannedSeconds: 600 });
    }
    // 3 done, 6 admitted (two with abnormal vitals), 7 still to come.
    for (let i = 9; i < 25; i++) {
      const id = await schedule(i, `room-${(i % 6) + 1}`);
      if (i < 12) await nurse.command(id, { type: 'cancel', reason: 'no_show' });
      else if (i < 18) {
        await nurse.command(id, { type: 'admit' });
        if (i < 14) await nurse.command(id, { type: 'record_vitals', heartRate: 128, systolic: 150, diastolic: 90, spo2: 96 });
      }
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('shows every room and every patient without scrolling, readable from 4 m', async () => {
    const board = await openBoard(browser, server, displayToken(server));
    await expect.poll(() => board.locator('[data-testid^="board-card-"]').count()).toBe(25);
    expect(await board.locator('[data-testid^="room-column-"]').count()).toBe(6);
    expect(await board.getByTestId('lane-observation').locator('[data-testid^="board-card-"]').count()).toBe(3);
    expect(await board.getByTestId('lane-done').locator('[data-testid^="board-card-"]').count()).toBe(3);
    await board.getByTestId('room-column-room-1').getByTestId('freeze-timer').waitFor();
    expect(await board.locator('[data-alert="vitals_abnormal"]').count()).toBe(3);
    // Let the fitting settle (it runs on the next frame after any change).
    await board.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

    const layout = await board.evaluate((minFont) => {
      const inside = (el: Element, frame: Element) => {
        const box = el.getBoundingClientRect();
        const f = frame.getBoundingClientRect();
        return box.bottom <= f.bottom + 1 && box.right <= f.right + 1 && box.bottom <= innerHeight;
      };
      const cards = [...document.querySelectorAll('[data-testid^="board-card-"]')];
      const small: string[] = [];
      for (const card of cards.filter((c) => !c.closest('[data-testid="lane-done"]'))) {
        for (const part of card.querySelectorAll('[data-testid="board-label"], [data-testid="board-stage"], [data-testid="board-since"]')) {
          const px = parseFloat(getComputedStyle(part).fontSize);
          if (px < minFont) small.push(`${part.getAttribute('data-testid')} ${px}px`);
        }
      }
      return {
        scroll: document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth,
        // A card is cut off when it reaches past its lane's or room's bottom edge; so is an alert past its card's.
        clipped: cards.filter((card) => !inside(card, card.closest('section')!)).length,
        clippedAlerts: [...document.querySelectorAll('[data-alert]')].filter((a) => !inside(a, a.closest('[data-testid^="board-card-"]')!)).length,
        small,
      };
    }, MIN_FONT_PX);
    await board.screenshot({ path: new URL('../../.tmp/board-capacity.png', import.meta.url).pathname });
    expect(layout).toEqual({ scroll: false, clipped: 0, clippedAlerts: 0, small: [] });
  });

  it('says "planned room" only for patients waiting to go in, not for those already through', async () => {
    const board = await openBoard(browser, server, displayToken(server));
    await expect.poll(() => board.locator('[data-testid^="board-card-"]').count()).toBe(25);
    expect(await board.getByTestId('lane-admission').getByTestId('board-planned-room').count()).toBeGreaterThan(0);
    expect(await board.getByTestId('lane-observation').getByTestId('board-planned-room').count()).toBe(0);
    expect(await board.getByTestId('lane-observation').textContent()).not.toContain('Salle 6');
  });
});
