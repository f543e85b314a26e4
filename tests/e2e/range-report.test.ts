import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf, presetRange } from '../../shared';
import { Api, bookCaseInThePast, newCaseBody, roomReadyAt } from '../support/api';
import { minutesAgo, wholeDay } from '../support/day';
import { signIn } from '../support/e2e';
import { openWalk, type Walk } from '../support/walk';

// The coordinator's monthly reading: Reports → Période, last month, its figures and charts, the CSV.
describe('the range report in the browser', () => {
  let walk: Walk;
  let lastMonth: { from: string; to: string };

  beforeAll(async () => {
    walk = await openWalk();
    const { server, staff } = walk;
    lastMonth = presetRange('lastMonth', dayOf(new Date(), server.config.timezone));
    const [nurse, radiologist, coordinator] = await Promise.all([Api.login(server, 'nurse'), Api.login(server, 'radiologist'), Api.login(server, 'coordinator')]);
    // On the 10th of last month: one uncomplicated act discharged at noon (UTC), one patient who did not come.
    const noon = Date.parse(`${lastMonth.from.slice(0, 8)}10T12:00:00Z`);
    const at = minutesAgo(noon);
    const book = (minutesBeforeNoon: number, body: Record<string, unknown>) =>
      bookCaseInThePast(server, staff.coordinator, (Date.now() - noon) / 60_000 + minutesBeforeNoon, newCaseBody(body));
    const done = await book(24 * 60, { scheduledAt: at(100), plannedRoomId: 'room-1' });
    const users = { nurse, radiologist };
    for (const [who, command] of wholeDay('room-1', at)) await users[who].command(done, command);
    await roomReadyAt(server, staff.nurse, 'room-1', at(40));
    const absent = await book(24 * 60, { scheduledAt: at(30), plannedRoomId: 'room-2' });
    await coordinator.command(absent, { type: 'cancel', reason: 'no_show', occurredAt: at(10) });
  });
  afterAll(async () => {
    await walk?.close();
  });

  it('coordinator: Reports → Période, last month, sees the figures and a chart, downloads the CSV of the same figures', async () => {
    const page = await signIn(walk.browser, walk.server, 'coordinator');
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('reports-tab-period').click();
    await page.getByTestId('period-picker').waitFor();
    await page.getByTestId('period-preset').selectOption('lastMonth');
    expect(await page.getByTestId('period-from').inputValue()).toBe(lastMonth.from);
    expect(await page.getByTestId('period-to').inputValue()).toBe(lastMonth.to);

    const headline = page.getByTestId('range-headline');
    await expect.poll(async () => (await headline.textContent())?.trim()).toBe('1 acte réalisé sur 2 programmés · 1 annulé · 0 transféré');
    // One month, one row; the chart above it is drawn.
    const rows = page.getByTestId('range-buckets-table').locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect((await rows.first().locator('th').textContent())?.trim()).toBe(lastMonth.from.slice(0, 7));
    const canvas = page.getByTestId('range-buckets').locator('canvas');
    expect(await canvas.isVisible()).toBe(true);
    const box = await canvas.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(100);
    expect((await page.getByTestId('range-cancellations').textContent())?.replace(/\s+/g, ' ').trim()).toBe('Patient absent : 1');
    expect(await page.getByTestId('range-pain').isVisible()).toBe(true);
    // The act of tests/support/day.ts: observation from 60 to 1 minute before its discharge.
    const observation = page.getByTestId('range-spreads').locator('tr', { hasText: 'Surveillance' }).locator('td');
    expect((await observation.allTextContents()).map((t) => t.trim())).toEqual(['59', '59', '1']);
    // Every column of the per-period table stays on the tablet's screen.
    const fit = await page.evaluate(() => {
      const card = document.querySelector('[data-testid="range-buckets"]')!.getBoundingClientRect();
      const last = document.querySelector('[data-testid="range-buckets-table"] thead th:last-child')!.getBoundingClientRect();
      return { card: card.right, last: last.right };
    });
    expect(fit.last).toBeLessThanOrEqual(fit.card);

    // Grouping by week gives one row per ISO week touching last month.
    await page.getByTestId('period-group-by').selectOption('week');
    await expect.poll(async () => (await rows.first().locator('th').textContent())?.trim()).toMatch(/^\d{4}-W\d{2}$/);
    expect(await rows.count()).toBeGreaterThanOrEqual(4);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('range-csv').click()]);
    expect(await download.failure()).toBeNull();
    expect(download.suggestedFilename()).toBe(`cryoday-range-${lastMonth.from}_${lastMonth.to}.csv`);
    const saved = join(walk.server.dir, 'range.csv');
    await download.saveAs(saved);
    const csv = readFileSync(saved, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(csv[0]).toBe('period;period_from;period_to;figure;key;value;indicateur;détail');
    expect(csv).toContain(`total;${lastMonth.from};${lastMonth.to};performed;;1;Actes réalisés (patient entré en salle);`);
    expect(csv).toContain(`total;${lastMonth.from};${lastMonth.to};cancelled_by_reason;no_show;1;"Annulés, par motif";Patient absent`);
    await page.context().close();
  });

  it('a nurse reads the day report but is offered no period tab', async () => {
    const page = await signIn(walk.browser, walk.server, 'nurse');
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('report-date').waitFor();
    expect(await page.getByTestId('reports-tab-period').count()).toBe(0);
    await page.context().close();
  });
});
