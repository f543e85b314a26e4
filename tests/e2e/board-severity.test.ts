import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, COMPLETE_CHECKLIST, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { LIDOCAINE, SIGN_OUT_COMMAND, minutesAgo, timeOutOf } from '../support/day';
import { axeViolations, displayToken, openBoard, requireBuiltSite, scheduleInThePast, signIn, waitConnected } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// The wall at 4 m: a freeze 45 min over its 4:00 must not look like a long wait, a room cleaned for
// too long is flagged, a complication shows its grade (never its note) on the card.
describe('the wall board at 4 m', () => {
  let server: TestServer;
  let browser: Browser;
  let board: Page;
  const ids = { freezing: '', waiting: '', complicated: '' };
  const note = 'Hématome de Mme Quesnel';

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer({ ROOMS: 'Salle 1,Salle 2,Salle 3', ROOM_CLEANING_ALERT_MINUTES: '20' });
    const staff = await seedStaff(server);
    const coordinator = { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' as const };
    const [nurse, radiologist] = await Promise.all([Api.login(server, 'nurse'), Api.login(server, 'radiologist')]);
    const at = minutesAgo(Date.now());
    const target = { nerve: 'intercostal', level: 'T6', side: 'left' } as const;
    const intoRoom = async (id: string, roomId: string, from: number) => {
      await nurse.command(id, { type: 'admit', occurredAt: at(from) });
      await nurse.command(id, { type: 'record_checklist', ...COMPLETE_CHECKLIST, occurredAt: at(from - 1) });
      await nurse.command(id, { type: 'mark_ready', occurredAt: at(from - 2) });
      await nurse.command(id, { type: 'enter_room', roomId, occurredAt: at(from - 3) });
      await nurse.command(id, { ...timeOutOf([target]), occurredAt: at(from - 3.5) });
      await radiologist.command(id, { ...LIDOCAINE, occurredAt: at(from - 4) });
      await radiologist.command(id, {
        type: 'position_probe',
        target,
        guidance: 'ultrasound',
        probe: { type: 'Cryosonde', gauge: 14 },
        occurredAt: at(from - 5),
      });
    };

    // Salle 1: a 4:00 freeze started 49 min ago, 45 min over.
    ids.freezing = await scheduleInThePast(server, coordinator, 70, { plannedRoomId: 'room-1', plannedTargets: [target], patient: { firstName: 'Odile', lastName: 'Quesnel', mrn: 'MRN-Q1', birthDate: '1950-01-01' } });
    await intoRoom(ids.freezing, 'room-1', 60);
    await radiologist.command(ids.freezing, { type: 'start_freeze', gas: 'n2o', plannedSeconds: 240, occurredAt: at(49) });

    // Ready for an hour: the long wait.
    ids.waiting = await scheduleInThePast(server, coordinator, 80, { plannedRoomId: 'room-2' });
    await nurse.command(ids.waiting, { type: 'admit', occurredAt: at(75) });
    await nurse.command(ids.waiting, { type: 'record_checklist', ...COMPLETE_CHECKLIST, occurredAt: at(74) });
    await nurse.command(ids.waiting, { type: 'mark_ready', occurredAt: at(73) });

    // Salle 2 left 30 min ago and still being cleaned; the patient had a CIRSE 2 complication.
    ids.complicated = await scheduleInThePast(server, coordinator, 120, { plannedRoomId: 'room-2', plannedTargets: [target] });
    await intoRoom(ids.complicated, 'room-2', 110);
    await radiologist.command(ids.complicated, { type: 'start_freeze', gas: 'n2o', plannedSeconds: 240, occurredAt: at(100) });
    await radiologist.command(ids.complicated, { type: 'end_freeze', lowestTempC: -82, iceBallMm: 9, thawMode: 'passive', occurredAt: at(96) });
    await radiologist.command(ids.complicated, { type: 'end_thaw', occurredAt: at(94) });
    await radiologist.command(ids.complicated, { type: 'remove_probe', occurredAt: at(92) });
    await radiologist.command(ids.complicated, { type: 'record_complication', kind: 'hematoma', grade: 2, note, occurredAt: at(91) });
    await nurse.command(ids.complicated, { type: 'apply_dressing', occurredAt: at(35) });
    await nurse.command(ids.complicated, { ...SIGN_OUT_COMMAND, occurredAt: at(33) });
    await nurse.command(ids.complicated, { type: 'start_observation', occurredAt: at(30) });

    browser = await launchChromium();
    board = await openBoard(browser, server, displayToken(server), 'fr', true);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  const look = (badge: Locator) =>
    badge.evaluate((el) => {
      const style = getComputedStyle(el);
      return { fontPx: parseFloat(style.fontSize), background: style.backgroundColor, severity: el.getAttribute('data-severity') };
    });

  it('writes a freeze running over large and red, unlike a long wait', async () => {
    const overrun = board.getByTestId('room-column-room-1').locator('[data-alert="freeze_overrun"]');
    const wait = board.getByTestId(`board-card-${ids.waiting}`).locator('[data-alert="waiting_ready_too_long"]');
    await overrun.waitFor();
    await wait.waitFor();
    // Let the type settle to the space it has.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const [freeze, waiting] = [await look(overrun), await look(wait)];
    console.log(`board 1920×1080: freeze-overrun alert ${freeze.fontPx} px, long-wait alert ${waiting.fontPx} px`);
    expect(freeze.severity).toBe('critical');
    expect(waiting.severity).toBe('info');
    expect(freeze.background).not.toBe(waiting.background);
    // It was 22 px, the size of every other badge; at 4 m it needs about 36 px and more.
    expect(freeze.fontPx).toBeGreaterThanOrEqual(36);
    // Larger than every other line of its card but the initials.
    const card = board.getByTestId(`board-card-${ids.freezing}`);
    for (const line of ['board-stage', 'board-since']) {
      const px = await card.getByTestId(line).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(freeze.fontPx, line).toBeGreaterThan(px);
    }
    expect(await board.getByTestId(`board-card-${ids.freezing}`).getAttribute('data-severity')).toBe('critical');
    expect(await board.getByTestId(`board-card-${ids.waiting}`).getAttribute('data-severity')).toBe('info');
  });

  it('flags the room cleaned for longer than the unit allows, on the board and on the rooms strip', async () => {
    const room2 = board.getByTestId('room-column-room-2');
    await room2.locator('[data-alert="room_cleaning_too_long"]').waitFor();
    expect(await room2.getByTestId('room-alerts').textContent()).toContain('Nettoyage prolongé');
    expect(await board.getByTestId('room-column-room-1').getByTestId('room-alerts').count()).toBe(0);

    const nurse = await signIn(browser, server, 'nurse');
    await waitConnected(nurse);
    const strip = nurse.getByTestId('room-room-2');
    await strip.getByTestId('room-alert').waitFor();
    expect(await strip.getByTestId('room-alert').getAttribute('data-alert')).toBe('room_cleaning_too_long');
    expect(await nurse.getByTestId('room-room-1').getByTestId('room-alert').count()).toBe(0);
    await nurse.context().close();
  });

  it('shows the complication grade and its meaning on the card, never the note', async () => {
    const complication = board.getByTestId(`board-card-${ids.complicated}`).getByTestId('board-complication');
    await complication.waitFor();
    expect(await complication.getAttribute('data-grade')).toBe('2');
    const text = (await complication.textContent())!.replace(/\s+/g, ' ');
    expect(text).toContain('CIRSE 2');
    expect(text).toContain('surveillance prolongée');
    const wall = await board.locator('body').textContent();
    expect(wall).not.toContain('Quesnel');
    expect(wall).not.toContain('Hématome');
  });

  it('stays readable for axe (colour contrast of every severity) with all of it on screen', async () => {
    expect(await axeViolations(board)).toEqual([]);
  });
});
