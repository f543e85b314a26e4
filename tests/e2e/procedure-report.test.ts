import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../support/api';
import { launchChromium } from '../support/browser';
import { requireBuiltSite, signIn } from '../support/e2e';
import { pdfText } from '../support/pdf-text';
import { removeDir, startServer, type TestServer } from '../support/server';

// The radiologist opens the demo's CT-guided case's report, prints it to PDF (read back from the
// file), amends the conclusion and signs a second version with its reason.
describe('the printable procedure report', () => {
  let server: TestServer;
  let browser: Browser;
  let id: string;

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer({ CRYODAY_DEMO: '1' });
    const coordinator = await Api.login(server, 'coordinator', 'demo');
    id = ((await coordinator.get('/api/cases')).body.cases as { id: string; patient: { lastName: string } }[]).find((c) => c.patient.lastName === 'Benali')!.id;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('shows the lot and the DLP, prints them (the toolbar and the form hidden), and signs a new version only with its reason', async () => {
    const radiologist = await signIn(browser, server, 'radiologist', { password: 'demo' });
    await radiologist.goto(`${server.url}/cases/${id}`);
    await radiologist.getByTestId('report-link').click();
    const report = radiologist.getByTestId('procedure-report');
    await report.waitFor();
    const text = (await report.textContent()) ?? '';
    for (const expected of ['Compte rendu de cryoneurolyse', 'Lot CP24203', 'Lot CP24211', 'PDL (mGy·cm) 286', 'GE Revolution EVO (salle 2)', 'Dr Laurent Roche'])
      expect(text, expected).toContain(expected);
    expect(await radiologist.getByTestId('report-signed').textContent()).toContain('version 1');

    // What the printer receives: the report, without the buttons.
    await radiologist.emulateMedia({ media: 'print' });
    expect(await radiologist.getByTestId('print').isVisible()).toBe(false);
    expect(await radiologist.getByTestId('report-edit').isVisible()).toBe(false);
    expect(await report.isVisible()).toBe(true);
    const pdf = await radiologist.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Read back from the PDF file itself: both probes' lots and the DLP with its unit, on the two A4
    // pages the two-target report fills; the buttons' words never reach the paper.
    const printed = await pdfText(pdf);
    expect(printed.pages).toBe(2);
    const paper = printed.text.join('\n').replace(/\s+/g, ' ');
    for (const expected of ['Lot CP24203', 'Lot CP24211', 'PDL (mGy·cm) 286', 'IDSV (mGy) 8,4', 'GE Revolution EVO (salle 2)', 'Cycles sur Nerf intercostal T7 — Gauche', 'Dr Laurent Roche'])
      expect(paper, expected).toContain(expected);
    for (const button of ['print', 'sign-report']) expect(paper).not.toContain((await radiologist.getByTestId(button).textContent())!.trim());
    await radiologist.emulateMedia({ media: 'screen' });

    await radiologist.getByTestId('report-conclusion').fill('Cryoneurolyse intercostale T6 et T7 gauches sous scanner, deux cycles par niveau ; contrôle à un mois.');
    await radiologist.getByTestId('save-conclusion').click();
    await radiologist.getByTestId('report-reason').waitFor();
    await radiologist.getByTestId('sign-report').click();
    expect(await radiologist.getByTestId('report-refusal').textContent()).toContain('indiquez pourquoi elle change');
    await radiologist.getByTestId('report-reason').fill('Conclusion complétée');
    await radiologist.getByTestId('sign-report').click();
    await expect.poll(async () => (await radiologist.getByTestId('report-signed').textContent()) ?? '').toContain('version 2');
    expect(await report.textContent()).toContain('contrôle à un mois');

    // In English on request.
    await radiologist.getByTestId('lang-en').click();
    await expect.poll(async () => (await report.textContent()) ?? '').toContain('DLP (mGy·cm) 286');
    await radiologist.context().close();
  });
});
