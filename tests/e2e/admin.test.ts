import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { WALL, requireBuiltSite, signIn, waitConnected } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

// The admin screens end to end: an account made here can sign in elsewhere; a wall-screen link made
// here shows the board, and revoking it cuts that board off at once.
describe('administration in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer();
    await seedStaff(server);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('lands an admin on administration, and never asks the server for patients', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-GB' });
    const admin = await context.newPage();
    const patientData: string[] = [];
    admin.on('request', (r) => {
      if (/\/api\/(cases|reports|follow-up)/.test(r.url())) patientData.push(r.url());
    });
    admin.on('websocket', (ws) => patientData.push(ws.url()));
    await admin.goto(`${server.url}/login`);
    await admin.locator('input[name=username]').fill('admin');
    await admin.locator('input[name=password]').fill(TEST_PASSWORD);
    await admin.locator('form button[type=submit]').click();
    await admin.waitForURL(`${server.url}/admin`);
    await admin.getByTestId('staff-accounts').locator('table').waitFor();
    expect(await admin.getByTestId('nav-today').count()).toBe(0);
    expect(await admin.getByTestId('live-status').count()).toBe(0);

    // Typing the day list's address leads back to administration.
    await admin.goto(server.url);
    await admin.waitForURL(`${server.url}/admin`);
    await admin.getByTestId('staff-accounts').locator('table').waitFor();
    expect(patientData).toEqual([]);
    await context.close();
  });

  it('creates a nurse account with a one-time password; she must choose her own, a weak one refused in French; the audit shows each step', async () => {
    const admin = await signIn(browser, server, 'admin', { lang: 'en' });
    await admin.getByTestId('nav-admin').click();
    await admin.getByTestId('staff-accounts').locator('table').waitFor();

    const form = admin.getByTestId('new-staff-form');
    expect(await form.getByLabel('Password').count()).toBe(0);
    await form.getByLabel('Username').fill('nurse');
    await form.getByLabel('Name', { exact: true }).fill('Someone Else');
    await form.getByTestId('create-staff').click();
    await expect.poll(() => admin.getByTestId('staff-error').textContent()).toContain('already taken');

    await form.getByLabel('Username').fill('c.dupont');
    await form.getByLabel('Name', { exact: true }).fill('Claire Dupont');
    await form.getByLabel('Role').selectOption('nurse');
    await form.getByTestId('create-staff').click();
    await admin.getByTestId('staff-c.dupont').waitFor();
    const oneTime = (await admin.getByTestId('one-time-password-value').textContent())!.trim();
    expect(oneTime).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);

    // She signs in (in French) with it and is sent to choose her own; the day's list stays closed meanwhile.
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'fr-FR' });
    const nurse = await context.newPage();
    const errors: string[] = [];
    nurse.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
    });
    nurse.on('pageerror', (e) => errors.push(e.message));
    await nurse.goto(`${server.url}/login`);
    await nurse.locator('input[name=username]').fill('c.dupont');
    await nurse.locator('input[name=password]').fill(oneTime);
    await nurse.locator('form button[type=submit]').click();
    await nurse.waitForURL(`${server.url}/password`);
    await nurse.getByTestId('password-first-time').waitFor();
    await nurse.goto(server.url);
    await nurse.waitForURL(`${server.url}/password`);

    const change = nurse.getByTestId('change-password');
    await change.locator('input[name=currentPassword]').fill(oneTime);
    await change.locator('input[name=newPassword]').fill('password12');
    await expect.poll(() => change.getByTestId('password-strength').textContent()).toMatch(/trop facile à deviner/);
    await change.locator('input[name=confirmPassword]').fill('password12');
    await change.getByTestId('password-submit').click();
    await expect.poll(() => change.getByTestId('password-error').textContent()).toMatch(/^Mot de passe trop facile à deviner\u00a0: /);
    expect(nurse.url()).toBe(`${server.url}/password`);

    await change.locator('input[name=newPassword]').fill('Glacier-Sonde-Azur-93');
    await change.locator('input[name=confirmPassword]').fill('Glacier-Sonde-Azur-93');
    await expect.poll(() => change.getByTestId('password-strength').textContent()).toContain('Difficile à deviner');
    await change.getByTestId('password-submit').click();
    await nurse.waitForURL(`${server.url}/`);
    await waitConnected(nurse);
    expect(await nurse.getByTestId('current-user').textContent()).toContain('Claire Dupont');
    expect(errors).toEqual([]);

    // Disabled: her open screen is signed out at once. Enabled and reset: a new one-time password, shown once.
    await admin.getByTestId('toggle-c.dupont').click();
    await admin.locator('[data-testid="staff-c.dupont"][data-active="false"]').waitFor();
    await nurse.waitForURL(/\/login/);
    await admin.getByTestId('toggle-c.dupont').click();
    await admin.locator('[data-testid="staff-c.dupont"][data-active="true"]').waitFor();
    await admin.getByTestId('reset-c.dupont').click();
    await expect.poll(async () => (await admin.getByTestId('one-time-password-value').textContent())?.trim()).not.toBe(oneTime);

    // The audit, newest first, tells the story.
    const audit = admin.getByTestId('account-audit');
    await expect
      .poll(async () => (await audit.getByTestId('audit-entry').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).slice(0, 5))
      .toEqual(['password_reset', 'enabled', 'disabled', 'password_changed', 'created']);
    expect(await audit.getByTestId('audit-entry').first().textContent()).toContain('c.dupont');
    await context.close();
    await admin.context().close();
  });

  it('creates a display link shown once, opens the board with it, then revokes it and the board loses access', async () => {
    const admin = await signIn(browser, server, 'admin', { lang: 'en' });
    await admin.goto(`${server.url}/admin`);
    const form = admin.getByTestId('new-token-form');
    await form.getByLabel('Screen name').fill('Corridor screen');
    await form.getByTestId('create-token').click();

    const shown = admin.getByTestId('new-board-link');
    await shown.waitFor();
    expect(await shown.getByTestId('link-once-warning').textContent()).toContain('will not be shown again');
    const url = await shown.getByTestId('new-board-url').inputValue();
    expect(url).toMatch(new RegExp(`^${server.url}/board\\?token=.+`));
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await shown.getByTestId('copy-board-url').click();
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(url);

    const wall = await (await browser.newContext({ viewport: WALL, locale: 'fr-FR' })).newPage();
    await wall.goto(url);
    await waitConnected(wall);
    await wall.getByTestId('board').waitFor();

    const row = admin.locator('tr[data-revoked="false"]', { hasText: 'Corridor screen' });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await admin.locator('tr[data-revoked="true"]', { hasText: 'Corridor screen' }).waitFor();

    await wall.getByTestId('board-token-problem').waitFor({ timeout: 5000 });
    expect(await wall.getByTestId('live-status').getAttribute('data-state')).toBe('disconnected');

    // Hidden once dismissed, and never served again: a reload of the admin page has no clear token.
    await shown.getByTestId('hide-board-url').click();
    await admin.reload();
    await admin.getByTestId('display-tokens').locator('table').waitFor();
    expect(await admin.getByTestId('new-board-link').count()).toBe(0);
    expect(await admin.content()).not.toContain(new URL(url).searchParams.get('token')!);
    await wall.context().close();
    await admin.context().close();
  });
});
