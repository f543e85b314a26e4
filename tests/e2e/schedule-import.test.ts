import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../shared';
import { axeViolations, signIn } from '../support/e2e';
import { openWalk, type Walk } from '../support/walk';

// Windows-1252, as Excel saves "CSV (séparateur : point-virgule)" on a French workstation: each
// accent one byte, written out here so the file is the code page's and not another encoder's.
const CP1252: Record<string, number> = { é: 0xe9, è: 0xe8, ç: 0xe7, ï: 0xef, É: 0xc9 };
const windows1252 = (text: string) => Buffer.from([...text].map((ch) => CP1252[ch] ?? ch.charCodeAt(0)));

// The day's schedule from a file: the coordinator sees each line judged before anything is stored,
// the bad line with its reason in French, then imports the good ones and finds them on the day list.
describe('importing a schedule file in Chromium', () => {
  let walk: Walk;
  beforeAll(async () => {
    walk = await openWalk();
  });
  afterAll(async () => {
    await walk?.close();
  });

  it('previews a Windows-1252 file with accents and one bad line, imports the valid lines, and they appear on Today', async () => {
    const day = dayOf(new Date(), 'Europe/Paris');
    const page = await signIn(walk.browser, walk.server, 'coordinator', { bypassCSP: true });
    const csv = [
      'date;heure;salle;ipp;nom;prénom;date_naissance;sexe;cibles;sédation;indication',
      `${day};14:00;Salle 2;IPP-7001;Lefèvre;Hélène;04/03/1950;F;genicular / superomedial / gauche;non;Gonarthrose évoluée`,
      `${day};14:45;Salle 9;IPP-7002;Garçon;Loïc;12/11/1962;M;genicular / droite;oui;`,
      `${day};15:30;;IPP-7003;Bénard;Éric;1971-08-19;M;intercostal / gauche;;Douleur post-thoracotomie`,
    ].join('\r\n');

    await page.getByTestId('open-import').click();
    await page.getByTestId('import-file').setInputFiles({ name: 'programme.csv', mimeType: 'text/csv', buffer: windows1252(csv) });
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();

    const rows = preview.getByTestId('import-row');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(0).textContent()).toContain('Lefèvre Hélène');
    expect(await rows.nth(2).textContent()).toContain('Bénard Éric');
    const bad = preview.locator('[data-testid="import-row"][data-line="3"]');
    expect(await bad.getAttribute('data-ok')).toBe('false');
    expect(await bad.textContent()).toContain('Salle inconnue');
    expect(await page.getByTestId('import-summary').textContent()).toContain('Windows-1252');
    expect(await axeViolations(page)).toEqual([]);

    // Nothing is stored by the preview.
    expect(await page.getByTestId('today-list').textContent()).not.toContain('LEFÈVRE');

    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('import-done').textContent()).toContain('2 dossiers créés');
    const list = page.getByTestId('today-list');
    // The day list writes family names in capitals.
    await expect.poll(() => list.textContent()).toContain('LEFÈVRE Hélène');
    await expect.poll(() => list.textContent()).toContain('BÉNARD Éric');
    expect(await list.textContent()).not.toContain('GARÇON');
    await page.context().close();
  });
});
