import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../support/api';
import { minutesAgo, wholeDay } from '../support/day';
import { scheduleInThePast, signIn, waitConnected } from '../support/e2e';
import type { TestServer } from '../support/server';
import { openWalk, type Walk } from '../support/walk';

// In observation, vitals 26 minutes old block the discharge: the tablet proposes the vitals themselves.
describe('vitals proposed when they are what blocks', () => {
  let walk: Walk;
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    walk = await openWalk();
    ({ server, browser } = walk);
  });
  afterAll(() => walk?.close());

  it('offers "record vitals" as the next step while the last ones are too old, and counts the taps to record them', async () => {
    const users = { nurse: await Api.login(server, 'nurse'), radiologist: await Api.login(server, 'radiologist') };
    const caseId = await scheduleInThePast(server, walk.coordinator, 180);
    const room = await users.nurse.freeRoom();
    const at = minutesAgo(Date.now());
    const steps = wholeDay(room, at).filter(([, c]) => !['record_padss', 'discharge'].includes(c.type));
    for (const [who, command] of steps) await users[who].command(caseId, command.type === 'record_vitals' ? { ...command, occurredAt: at(26) } : command);

    const nurse = await signIn(browser, server, 'nurse');
    await nurse.goto(`${server.url}/cases/${caseId}`);
    await waitConnected(nurse);
    const step = nurse.getByTestId('next-step');
    await expect.poll(() => step.getAttribute('data-command')).toBe('record_vitals');

    let taps = 0;
    const type = async (field: Locator, value: string) => {
      taps += 1;
      await field.fill(value);
    };
    const form = step.getByTestId('form-record_vitals');
    await type(form.getByLabel('Fréquence cardiaque (bpm)'), '74');
    await type(form.getByLabel('PA systolique (mmHg)'), '122');
    await type(form.getByLabel('PA diastolique (mmHg)'), '78');
    await type(form.getByLabel('SpO2 (%)'), '98');
    taps += 1;
    await form.getByTestId('submit-record_vitals').click();
    await expect.poll(() => step.getAttribute('data-command')).toBe('record_padss');
    console.log(`taps to record vitals: ${taps}`);
    expect(taps).toBe(5);
    await nurse.context().close();
  });
});
