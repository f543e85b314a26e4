import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleCaseBody } from '../../shared';
import { Api, COMPLETE_CHECKLIST, newCaseBody, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { LIDOCAINE, sendSpaced, timeOutOf } from '../support/day';
import { requireBuiltSite, scheduleInThePast, signIn } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// A tablet at 1024×768 reading the day report: two levels of the same nerve read apart, the freeze
// cycles table keeps all its columns on screen, a CIRSE grade says what it means, the headline adds up.
describe('the day report on a tablet', () => {
  let server: TestServer;
  let browser: Browser;
  let caseId: string;

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer();
    const staff = await seedStaff(server);
    const [coordinator, nurse, radiologist] = await Promise.all([Api.login(server, 'coordinator'), Api.login(server, 'nurse'), Api.login(server, 'radiologist')]);
    const targets: ScheduleCaseBody['plannedTargets'] = [
      { nerve: 'intercostal', level: 'T6', side: 'left' },
      { nerve: 'intercostal', level: 'T7', side: 'left' },
    ];
    // Booked 20 minutes ago and its steps sent a minute apart, so each freeze lasts longer than a mis-tap.
    const id = await scheduleInThePast(server, { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' }, 20, { plannedTargets: targets });
    caseId = id;
    await coordinator.post('/api/cases', newCaseBody({ plannedRoomId: 'room-2' }));
    await sendSpaced({ nurse, radiologist }, id, [
      ['nurse', { type: 'admit' }],
      ['nurse', { type: 'record_checklist', ...COMPLETE_CHECKLIST }],
      ['nurse', { type: 'mark_ready' }],
      ['nurse', { type: 'enter_room', roomId: 'room-1' }],
      ['nurse', timeOutOf(targets)],
      ['radiologist', LIDOCAINE],
      ...targets.flatMap((target, i) =>
        [
          ['radiologist', { type: 'position_probe', target, guidance: 'ultrasound', probe: { type: 'Cryosonde 1,7 mm', gauge: 14 } }],
          ['radiologist', { type: 'start_freeze', gas: 'n2o', plannedSeconds: 240 }],
          ['radiologist', { type: 'end_freeze', lowestTempC: -80 - i, iceBallMm: 9, thawMode: 'passive' }],
          ['radiologist', { type: 'end_thaw' }],
        ] as const,
      ),
      ['radiologist', { type: 'record_complication', kind: 'hematoma', grade: 2, note: 'surveillé une nuit' }],
    ]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('keeps every column of the freeze-cycles table visible at 1024 px and tells the levels apart', async () => {
    const page = await signIn(browser, server, 'coordinator');
    await page.getByTestId('nav-reports').click();
    const table = page.getByTestId('targets-table');
    await table.waitFor();
    const rows = (await table.locator('tbody th').allTextContents()).map((t) => t.trim());
    expect(rows.sort()).toEqual(['Nerf intercostal T6 — Gauche', 'Nerf intercostal T7 — Gauche']);

    const lastHeader = table.locator('thead th').last();
    expect((await lastHeader.textContent())!.trim()).toBe('Température minimale');
    const fit = await page.evaluate(() => {
      const tableEl = document.querySelector<HTMLElement>('[data-testid="targets-table"]')!;
      const card = document.querySelector<HTMLElement>('[data-testid="targets-card"]')!.getBoundingClientRect();
      const last = tableEl.querySelector('thead th:last-child')!.getBoundingClientRect();
      return { viewport: window.innerWidth, cardRight: card.right, lastRight: last.right, lastWidth: last.width, pageScroll: document.documentElement.scrollWidth };
    });
    expect(fit.viewport).toBe(1024);
    expect(fit.lastWidth).toBeGreaterThan(0);
    expect(fit.lastRight).toBeLessThanOrEqual(fit.cardRight);
    expect(fit.cardRight).toBeLessThanOrEqual(fit.viewport);
    expect(fit.pageScroll).toBeLessThanOrEqual(fit.viewport);
    expect(await table.locator('tbody td').last().isVisible()).toBe(true);
    // The chart above it has the card's width, so its axis has room for the labels (written on several lines).
    const chart = await page.getByTestId('targets-card').locator('figure').boundingBox();
    expect(chart!.x + chart!.width).toBeLessThanOrEqual(fit.cardRight);
    expect(chart!.width).toBeGreaterThan(600);
    await page.context().close();
  });

  it('shows each CIRSE grade with its meaning, and a headline whose groups add up', async () => {
    const page = await signIn(browser, server, 'coordinator');
    await page.getByTestId('nav-reports').click();
    const grade = page.getByTestId('complications-by-grade').getByTestId('cirse-grade');
    await grade.waitFor();
    expect((await grade.textContent())!.trim()).toBe('CIRSE 2\u00a0: surveillance prolongée ou nuit sur place (< 48 h), sans séquelle');
    const headline = (await page.getByTestId('report-counts').textContent())!.replace(/\s+/g, ' ').trim();
    expect(headline).toBe('2 patients\u00a0: 1 pas encore arrivés · 1 en cours · 0 sortis · 0 annulés · 0 transférés'.replace(/\s+/g, ' '));

    // The case view writes the recorded grade with its meaning too, and the two levels apart.
    await page.goto(`${server.url}/cases/${caseId}`);
    const recorded = page.getByTestId('complications').getByTestId('cirse-grade');
    await recorded.waitFor();
    expect(await recorded.textContent()).toContain('CIRSE 2\u00a0: surveillance prolongée');
    await page.context().close();
  });
});
