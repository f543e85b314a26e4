import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../support/api';
import { launchChromium } from '../support/browser';
import { minutesAgo, wholeDay } from '../support/day';
import { requireBuiltSite, scheduleInThePast, signIn, waitConnected } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';
import { openWalk, type Walk } from '../support/walk';

// The unit's zone is the server's UNIT_TIMEZONE, whatever the device says: a unit outside Paris sees its own hours.
describe('times in the unit time zone', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer({ CRYODAY_DEMO: '1', UNIT_TIMEZONE: 'Asia/Tokyo' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it("shows scheduled times in the server's zone, not the device's nor Paris", async () => {
    const cases = (await (await Api.login(server, 'nurse', 'demo')).get('/api/cases')).body.cases as { id: string; scheduledAt: string }[];
    expect(cases.length).toBeGreaterThan(0);
    const page = await signIn(browser, server, 'nurse', { lang: 'en', password: 'demo' });
    await waitConnected(page);
    const first = cases[0]!;
    const tokyo = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Tokyo' }).format(new Date(first.scheduledAt));
    const paris = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).format(new Date(first.scheduledAt));
    expect(tokyo).not.toBe(paris);
    await expect.poll(() => page.getByTestId(`case-row-${first.id}`).locator('td.time').textContent()).toBe(tokyo);
  });
});

// A zone whose clock reads 00:mm right now (whole-hour offsets from Etc/GMT−14 to Etc/GMT+12), so a
// step typed "23:30" happened last night, minutes ago, and the walk needs no faked clock.
function zoneJustPastMidnight(now: Date) {
  let offset = (24 - now.getUTCHours()) % 24;
  if (offset > 14) offset -= 24;
  const zone = offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
  const midnight = new Date(now);
  midnight.setUTCMinutes(0, 0, 0);
  return { zone, midnight: midnight.getTime() };
}

describe('a time typed just after midnight', () => {
  const { zone, midnight } = zoneJustPastMidnight(new Date());
  let walk: Walk;
  beforeAll(async () => {
    walk = await openWalk({ UNIT_TIMEZONE: zone });
  });
  afterAll(() => walk?.close());

  it('records "23:30" typed at 00:mm as last night, not as tonight refused for being in the future', async () => {
    const { server, browser } = walk;
    const users = { nurse: await Api.login(server, 'nurse'), radiologist: await Api.login(server, 'radiologist') };
    const caseId = await scheduleInThePast(server, walk.coordinator, 300);
    const room = await users.nurse.freeRoom();
    // The whole day two hours back: the last vitals are 125 minutes old, so vitals are the next step.
    const twoHoursBack = (m: number) => minutesAgo(Date.now())(m + 120);
    for (const [who, command] of wholeDay(room, twoHoursBack).filter(([, c]) => !['record_padss', 'discharge'].includes(c.type)))
      await users[who].command(caseId, command);

    const nurse = await signIn(browser, server, 'nurse');
    await nurse.goto(`${server.url}/cases/${caseId}`);
    await waitConnected(nurse);
    const step = nurse.getByTestId('next-step');
    await expect.poll(() => step.getAttribute('data-command')).toBe('record_vitals');
    const form = step.getByTestId('form-record_vitals');
    await form.getByLabel('Fréquence cardiaque (bpm)').fill('74');
    await form.getByLabel('PA systolique (mmHg)').fill('122');
    await form.getByLabel('PA diastolique (mmHg)').fill('78');
    await form.getByLabel('SpO2 (%)').fill('98');
    await form.locator('input[type="time"]').fill('23:30');
    await form.getByTestId('submit-record_vitals').click();

    const lastNight = new Date(midnight - 30 * 60_000).toISOString();
    await expect
      .poll(async () => ((await users.nurse.get(`/api/cases/${caseId}`)).body.timeline as { type: string; occurredAt: string }[]).filter((e) => e.type === 'VitalsRecorded').map((e) => e.occurredAt))
      .toContain(lastNight);
    await nurse.context().close();
  });
});
