import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../support/api';
import { axeViolations, signIn } from '../support/e2e';
import { appointment, postFhir } from '../support/fhir';
import { openWalk, type Walk } from '../support/walk';

// The Interfaces screen as the unit uses it: the admin sees what the hospital sent and why a message
// was refused, in French, with no patient on the screen; once the cause is gone (the booking a cancel
// named has arrived) "Appliquer à nouveau" applies it. The coordinator may open the message itself.
describe('the Interfaces screen in Chromium', () => {
  let walk: Walk;
  let booking: Record<string, any>;
  beforeAll(async () => {
    walk = await openWalk();
    const coordinator = await Api.login(walk.server, 'coordinator');
    booking = appointment();
    expect((await postFhir(coordinator, '/api/fhir/Appointment', { ...booking, status: 'cancelled' })).status).toBe(422);
    expect((await postFhir(coordinator, '/api/fhir/Appointment', appointment())).status).toBe(201);
  });
  afterAll(async () => {
    await walk?.close();
  });

  it('shows the admin each message’s status and reason, and applies a refused one again once its cause is fixed', async () => {
    const page = await signIn(walk.browser, walk.server, 'admin', { bypassCSP: true });
    await page.getByTestId('nav-admin-interfaces').click();
    const rows = page.getByTestId('interface-message');
    await expect.poll(() => rows.count()).toBe(2);
    const refused = page.locator('[data-testid="interface-message"][data-status="refused"]');
    expect(await refused.getByTestId('message-status').textContent()).toBe('Refusé');
    expect(await refused.getByTestId('message-reason').textContent()).toContain('Aucun patient programmé ne porte ce rendez-vous');
    expect(await page.locator('[data-testid="interface-message"][data-status="applied"]').getByTestId('message-status').textContent()).toBe('Appliqué');
    // An admin never reads a patient: no message text, and no name anywhere on the screen.
    expect(await page.getByTestId('show-raw').count()).toBe(0);
    expect(await page.getByTestId('interface-messages').textContent()).not.toContain('François');
    expect(await axeViolations(page)).toEqual([]);

    const id = await refused.getAttribute('data-id');
    // Still refused while the booking has not arrived.
    await refused.getByTestId('apply-again').click();
    await expect.poll(() => refused.textContent()).toContain('Toujours refusé');

    const coordinator = await Api.login(walk.server, 'coordinator');
    expect((await postFhir(coordinator, '/api/fhir/Appointment', booking)).status).toBe(201);
    await refused.getByTestId('apply-again').click();
    const row = page.locator(`[data-testid="interface-message"][data-id="${id}"]`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('applied');
    expect(await row.getByTestId('message-status').textContent()).toBe('Appliqué');
    expect(await row.getByTestId('apply-again').count()).toBe(0);
    await page.context().close();
  });

  it('lets the coordinator open a message as it was received', async () => {
    const page = await signIn(walk.browser, walk.server, 'coordinator');
    await page.getByTestId('nav-admin-interfaces').click();
    const first = page.getByTestId('interface-message').first();
    await first.getByTestId('show-raw').click();
    const raw = page.getByTestId('raw-message').first();
    await raw.waitFor();
    expect(await raw.textContent()).toContain('"resourceType":"Appointment"');
    expect(await raw.textContent()).toContain('François');
    await page.context().close();
  });
});
