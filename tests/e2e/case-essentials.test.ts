import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, COMPLETE_CHECKLIST } from '../support/api';
import { timeOutOf } from '../support/day';
import { scheduleInThePast, signIn, waitConnected } from '../support/e2e';
import type { TestServer } from '../support/server';
import { openWalk, type Walk } from '../support/walk';

// What the checklist learnt stays in the case header once the patient is in the room: the allergies in
// red, the anticoagulant and anti-inflammatory status, the weight, the planned sedation and the escort.
describe('the case header keeps the checklist in sight at every stage', () => {
  let walk: Walk;
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    walk = await openWalk();
    ({ server, browser } = walk);
  });
  afterAll(() => walk?.close());

  it('shows allergies in red, treatments, weight, sedation and escort to the nurse and the radiologist in the room', async () => {
    const nurseApi = await Api.login(server, 'nurse');
    const room = await nurseApi.freeRoom();
    const target = { nerve: 'genicular', side: 'right' } as const;
    const id = await scheduleInThePast(server, walk.coordinator, 20, {
      plannedRoomId: room,
      plannedTargets: [target],
      plannedSedation: true,
    });
    const checklist = {
      ...COMPLETE_CHECKLIST,
      anticoagulants: { taken: true, managed: true },
      allergies: { has: true, allergens: ['iodinated_contrast'] },
      weightKg: 64.5,
      escort: { name: 'Marc Roux', phone: '06 12 34 56 78' },
    };
    for (const command of [{ type: 'admit' }, { type: 'record_checklist', ...checklist }, { type: 'mark_ready' }])
      await nurseApi.command(id, command);

    const nurse = await signIn(browser, server, 'nurse');
    await nurse.goto(`${server.url}/cases/${id}`);
    await waitConnected(nurse);
    const header = nurse.getByTestId('case-essentials');
    const read = async () => ({
      allergies: await header.getByTestId('header-allergens').textContent(),
      anticoagulants: await header.getByTestId('header-anticoagulants').textContent(),
      antiInflammatories: await header.getByTestId('header-anti-inflammatories').textContent(),
      weight: await header.getByTestId('header-weight').textContent(),
    });
    const before = await read();

    // Into the room and through the time-out: what the header said at the bedside it still says.
    await nurseApi.command(id, { type: 'enter_room', roomId: room });
    await nurseApi.command(id, timeOutOf([target]));
    await expect.poll(() => nurse.getByTestId('case-stage').getAttribute('data-stage')).toBe('in_room');
    expect(await read()).toEqual(before);
    expect(before.allergies).toContain('Produits de contraste iodés');
    expect(before.anticoagulants).toBe('Pris, arrêt ou relais géré');
    expect(before.antiInflammatories).toBe('Aucun');
    expect(before.weight).toBe('64,5\u00a0kg');
    const red = await header.getByTestId('header-allergens').locator('li').first().evaluate((li) => getComputedStyle(li).color);
    expect(red).toBe('rgb(155, 28, 19)');
    const headerText = await nurse.locator('.case-header').textContent();
    expect(headerText).toContain('Marc Roux');
    expect(headerText).toContain('Sédation prévue');

    const radiologist = await signIn(browser, server, 'radiologist');
    await radiologist.goto(`${server.url}/cases/${id}`);
    await waitConnected(radiologist);
    expect(await radiologist.getByTestId('case-essentials').getByTestId('header-allergens').textContent()).toContain('Produits de contraste iodés');
    await nurse.context().close();
    await radiologist.context().close();
  });
});
