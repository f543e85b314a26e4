import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelKeys, t } from '../../shared';
import { launchChromium } from '../support/browser';
import { axeViolations, requireBuiltSite, signIn } from '../support/e2e';
import { walkScreens } from '../support/screens';
import { removeDir, startServer, type TestServer } from '../support/server';

// Every UI string of one language that differs from its other-language version, cut at its {params}:
// none of them may show on a screen in the other language. Short fragments are left out (they match
// inside words of the other language).
function fragmentsOf(lang: 'en' | 'fr'): string[] {
  const other = lang === 'en' ? 'fr' : 'en';
  // The exports' phrases go into files, not onto screens (and the demo's rooms are named like them).
  const pairs = labelKeys()
    .filter((k) => !k.startsWith('export.'))
    .map((k) => [t(lang, k), t(other, k)] as [string, string]);
  const otherText = pairs.map(([, o]) => o).join('\n');
  const fragments = pairs.filter(([mine, o]) => mine !== o).flatMap(([mine]) => mine.split(/[{}#]/).map((s) => s.trim()));
  // A fragment that also occurs in the other language ("patients", "Cone-beam CT") proves nothing.
  return [...new Set(fragments)].filter((s) => s.length >= 6 && !otherText.includes(s));
}

// Words a hard-coded English string would bring, whole words only; and ids that should have been a name.
const ENGLISH_WORDS = /\b(?:Room|Rooms|Save|Cancel|Next|Probe|Freeze|Thaw|Submit|Loading|Confirm|Back|Ready|Done|Sign in|Lidocaine|Cryoprobe)\b/;
// A message shown unformatted: an argument or ICU plural/select syntax left on the screen.
const RAW_ICU = /\{\w+\}|\{\w+, (?:plural|select)|\b(?:one|other) \{/;
const RAW_ID = /\b(?:room-\d+|n2o|co2|cone_beam_ct|probe_placement|local_anesthesia)\b/;

const RAW_KEY = /\b(?:stage|command|event|rule|alert|target|side|guidance|gas|thaw_mode|stimulation|cancel_reason|complication|pain_moment|role|room_status|sex|contraindication|screening|field|ui|app|auth|board|lang|live|nav|case|common|discharge|form|padss|probe|procedure|schedule|timeline|today|vitals|abbr|reports|followUp|sheet|duration|admin)\.[a-zA-Z_]{2,}/;

async function visibleText(page: Page, withoutPatientData = false): Promise<string> {
  if (withoutPatientData) {
    // What the demo day typed in French (names, escorts, notes, products) is data, not screen text.
    await page.evaluate(() => {
      for (const el of document.querySelectorAll('[data-testid="patient-name"], [data-testid="escort-name"], a[href^="/cases/"], input, textarea'))
        el.remove();
    });
  }
  return page.evaluate(() => {
    const attributes = [...document.querySelectorAll('[aria-label],[title],[placeholder]')].flatMap((el) =>
      ['aria-label', 'title', 'placeholder'].map((a) => el.getAttribute(a) ?? ''),
    );
    const options = [...document.querySelectorAll('option')].map((o) => o.textContent ?? '');
    return [document.title, document.body.innerText, ...attributes, ...options].join('\n');
  });
}

// Every screen of a whole demo day, walked once in French (five tablets side by side), checked for its
// words and with axe-core on the same pages; then once in English after a switch.
describe('every screen, in French and in English', () => {
  let server: TestServer;
  let browser: Browser;
  // The French walk, once: its language problems and axe violations, each asserted by its own test.
  let frenchWalk: Promise<{ language: string[]; accessibility: string[] }> | null = null;
  const walkInFrench = () =>
    (frenchWalk ??= (async () => {
      const english = fragmentsOf('en');
      expect(english.length).toBeGreaterThan(100);
      const language: string[] = [];
      const accessibility: string[] = [];
      await walkScreens(
        browser,
        server,
        'fr',
        async (name, page) => {
          expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
          const text = await visibleText(page);
          for (const fragment of english) if (text.includes(fragment)) language.push(`${name}: English "${fragment}"`);
          for (const pattern of [RAW_KEY, ENGLISH_WORDS, RAW_ID, RAW_ICU]) {
            const found = text.match(pattern);
            if (found) language.push(`${name}: "${found[0]}" (${pattern === RAW_KEY ? 'raw key' : pattern === RAW_ID ? 'raw id' : pattern === RAW_ICU ? 'unformatted message' : 'English word'})`);
          }
          for (const violation of await axeViolations(page)) accessibility.push(`${name}: ${violation}`);
        },
        // axe-core is injected as a script tag, which the site's Content-Security-Policy rightly refuses
        // (the English walk below, like every other walk, runs under the policy).
        { bypassCSP: true },
      );
      return { language, accessibility };
    })());

  beforeAll(async () => {
    requireBuiltSite();
    server = await startServer({ CRYODAY_DEMO: '1', ROOMS: 'Salle 1,Salle 2,Salle 3' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('walks every screen in French: no English UI words, no raw label keys or ids', async () => {
    expect((await walkInFrench()).language).toEqual([]);
  }, 120_000);

  it('walks every screen in French: no serious or critical accessibility violation (axe-core)', async () => {
    expect((await walkInFrench()).accessibility).toEqual([]);
  }, 120_000);

  it('remembers a switch to English across a reload, and walks every screen in English', async () => {
    // A French tablet: the nurse picks English once, and it stays English.
    const nurse = await signIn(browser, server, 'nurse', { password: 'demo' });
    expect(await nurse.evaluate(() => document.documentElement.lang)).toBe('fr');
    await nurse.getByTestId('lang-en').click();
    await nurse.reload();
    await nurse.getByTestId('current-user').waitFor();
    expect(await nurse.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await nurse.getByTestId('lang-en').getAttribute('aria-pressed')).toBe('true');
    expect(await nurse.getByTestId('nav-today').textContent()).toContain('Today');
    await nurse.context().close();

    const french = fragmentsOf('fr');
    expect(french.length).toBeGreaterThan(100);
    const problems: string[] = [];
    await walkScreens(browser, server, 'en', async (name, page) => {
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      // Patient data (names, notes) is French whatever the screen: check the screen's own words only.
      const text = await visibleText(page, true);
      for (const fragment of french) if (text.includes(fragment)) problems.push(`${name}: French "${fragment}"`);
      for (const pattern of [RAW_KEY, RAW_ID, RAW_ICU]) {
        const found = text.match(pattern);
        if (found) problems.push(`${name}: raw "${found[0]}"`);
      }
    });
    expect(problems).toEqual([]);
  }, 120_000);
});
