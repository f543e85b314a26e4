import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, COMPLETE_CHECKLIST, newCaseBody, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { displayToken, openBoard, requireBuiltSite } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

const ROOMS = ['Salle 1', 'Salle 2', 'Salle 3', 'Salle 4', 'Salle 5', 'Salle 6'];

// A busy day on the wall: 6 rooms and 25 patients fit a 1920×1080 screen, nothing scrolls or is cut off.
describe('the wall board at full load', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer({ ROOMS: ROOMS.join(',') });
    await seedStaff(server);
    const coordinator = await Api.login(server, 'coordinator');
    const nurse = await Api.login(server, 'nurse');
    const names = ['Alice', 'Bruno', 'Chloé', 'David', 'Emma', 'Farid', 'Gaëlle', 'Hugo', 'Inès', 'Jules', 'Karine', 'Léo', 'Manon'];
    for (let i = 0; i < 25; i++) {
      const scheduledAt = new Date(Date.now() + (i - 8) * 20 * 60_000).toISOString();
      const body = newCaseBody({ scheduledAt, plannedRoomId: `room-${(i % 6) + 1}` });
      (body.patient as { firstName: string }).firstName = names[i % names.length]!;
      const id = (await coordinator.post('/api/cases', body)).body.case.id as string;
      if (i < 6) {
        await nurse.command(id, { type: 'admit' });
        await nurse.command(id, { type: 'record_checklist', ...COMPLETE_CHECKLIST });
        await nurse.command(id, { type: 'mark_ready' });
        await nurse.command(id, { type: 'enter_room', roomId: `room-${i + 1}` });
      } else if (i < 10) await nurse.command(id, { type: 'cancel', reason: 'no_show' });
      else if (i < 16) await nurse.command(id, { type: 'admit' });
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('shows every room and every patient without scrolling', async () => {
    const board = await openBoard(browser, server, displayToken(server));
    await expect.poll(() => board.locator('[data-testid^="board-card-"]').count()).toBe(25);
    expect(await board.locator('[data-testid^="room-column-"]').count()).toBe(6);
    const overflow = await board.evaluate(() => ({
      scroll: document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth,
      // A card is cut off when it reaches past its lane's or room's bottom edge.
      clipped: [...document.querySelectorAll('[data-testid^="board-card-"]')].filter((card) => {
        const box = card.getBoundingClientRect();
        const frame = card.closest('section')!.getBoundingClientRect();
        return box.bottom > frame.bottom + 1 || box.right > frame.right + 1 || box.bottom > innerHeight;
      }).length,
    }));
    await board.screenshot({ path: new URL('../../.tmp/board-capacity.png', import.meta.url).pathname });
    expect(overflow).toEqual({ scroll: false, clipped: 0 });
  });
});
