import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, bookCaseInThePast, seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { minutesAgo, wholeDay } from '../support/day';
import { requireBuiltSite, signIn } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

const pdfPages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;

// The discharge sheet prints the unit's identity an admin saved, never a number from code; until then
// it tells the nurse so. It also names the escort, what was given in the room (the doctor the patient
// sees next reads the doses there) and each complication with what to do at home.
describe('discharge sheet with the unit’s details from the admin screen', () => {
  let server: TestServer;
  let browser: Browser;
  let caseId: string;
  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer();
    const staff = await seedStaff(server);
    caseId = await bookCaseInThePast(server, staff.coordinator, 150);
    const users = { nurse: await Api.login(server, 'nurse'), radiologist: await Api.login(server, 'radiologist') };
    const at = minutesAgo(Date.now());
    for (const [who, command] of wholeDay('room-1', at)) {
      if (command.type === 'record_padss') await users.nurse.command(caseId, { type: 'record_aldrete', activity: 2, respiration: 2, circulation: 2, consciousness: 2, oxygenSaturation: 2, occurredAt: at(4) });
      if (command.type === 'discharge') await users.nurse.command(caseId, { type: 'record_complication', kind: 'hematoma', grade: 1, occurredAt: at(2) });
      await users[who].command(caseId, command);
      if (command.type === 'give_local_anesthesia') await users.radiologist.command(caseId, { type: 'give_sedation', drug: 'Midazolam', dose: '1 mg', occurredAt: at(94) });
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('before an admin fills the unit’s details, the sheet says so to the nurse and prints no number', async () => {
    const nurse = await signIn(browser, server, 'nurse');
    await nurse.goto(`${server.url}/cases/${caseId}/sheet`);
    await nurse.getByTestId('discharge-sheet').waitFor();
    const warning = await nurse.getByTestId('unit-missing').textContent();
    expect(warning).toContain('Les coordonnées du service ne sont pas renseignées');
    for (const field of ['Nom du service', 'Adresse', 'Téléphone de journée', 'Téléphone de nuit et de week-end', 'Radiologue référent']) expect(warning).toContain(field);
    expect(await nurse.getByTestId('unit-phone').textContent()).toBe('non renseigné');
    const text = (await nurse.getByTestId('discharge-sheet').textContent())!;
    expect(text).not.toMatch(/01 46 41 25 25|provisoire/);
    expect(await nurse.getByTestId('sheet-escort').textContent()).toContain('Marc Durand');
    expect(await nurse.getByTestId('sheet-escort').textContent()).toContain('06 12 34 56 78');
    const complications = (await nurse.getByTestId('sheet-complications').textContent())!;
    expect(complications).toContain('Hématome');
    expect(complications).toContain('appliquez du froid');
    expect(await nurse.getByTestId('sheet-anaesthesia').textContent()).toBe('Lidocaïne · 1\u00a0% · 5\u00a0mL · 50\u00a0mg');
    expect(await nurse.getByTestId('sheet-sedation').textContent()).toBe('Midazolam 1 mg');
    await nurse.context().close();
  });

  it('an admin fills them in the admin screen; the nurse’s sheet prints them, in French and English, on one A4 page', async () => {
    const admin = await signIn(browser, server, 'admin', { lang: 'en' });
    await admin.getByTestId('nav-admin').click();
    const form = admin.getByTestId('unit-form');
    await form.waitFor();
    expect(await admin.getByTestId('unit-saved').textContent()).toContain('Never filled in');
    await form.getByLabel('Unit name').fill('Radiologie interventionnelle — Hôpital Foch');
    await form.getByLabel('Address').fill('40 rue Worth\n92150 Suresnes');
    await form.getByLabel('Daytime phone').fill('01 46 25 20 00');
    await form.getByLabel('Night and weekend phone').fill('01 46 25 21 21');
    await form.getByLabel('Referring radiologist').fill('Dr Laurent Roche');
    await admin.getByTestId('save-unit').click();
    await expect.poll(() => admin.getByTestId('unit-saved').textContent()).toContain('Saved by admin');

    // A second save leaves the first in the trail the admin can open.
    await form.getByLabel('Night and weekend phone').fill('01 46 25 21 22');
    await admin.getByTestId('save-unit').click();
    await admin.getByTestId('unit-trail').waitFor();
    await admin.getByTestId('unit-trail').locator('summary').click();
    expect(await admin.getByTestId('unit-trail').textContent()).toContain('01 46 25 21 21');
    await admin.context().close();

    const nurse = await signIn(browser, server, 'nurse');
    await nurse.goto(`${server.url}/cases/${caseId}/sheet`);
    await nurse.getByTestId('discharge-sheet').waitFor();
    expect(await nurse.getByTestId('unit-missing').count()).toBe(0);
    expect(await nurse.getByTestId('unit-name').textContent()).toBe('Radiologie interventionnelle — Hôpital Foch');
    expect(await nurse.getByTestId('unit-address').textContent()).toContain('92150 Suresnes');
    expect(await nurse.getByTestId('unit-phone').textContent()).toBe('01 46 25 20 00');
    expect(await nurse.getByTestId('unit-night-phone').textContent()).toBe('01 46 25 21 22');
    expect(await nurse.getByTestId('unit-radiologist').textContent()).toBe('Dr Laurent Roche');
    expect(pdfPages(await nurse.pdf({ format: 'A4' }))).toBe(1);

    await nurse.getByTestId('lang-en').click();
    await nurse.getByText('After your cryoneurolysis').first().waitFor();
    expect(await nurse.getByTestId('sheet-complications').textContent()).toContain('apply cold');
    expect(await nurse.getByTestId('sheet-given').textContent()).toContain('Local anaesthetic given:');
    expect(await nurse.getByTestId('sheet-anaesthesia').textContent()).toBe('Lidocaine · 1\u00a0% · 5\u00a0mL · 50\u00a0mg');
    expect(pdfPages(await nurse.pdf({ format: 'A4' }))).toBe(1);
    await nurse.context().close();
  });
});
