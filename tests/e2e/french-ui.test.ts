import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelKeys, t } from '../../shared';
import { chrome } from '../../web/src/lib/i18n';
import { launchChromium } from '../support/browser';
import { requireBuiltSite } from '../support/e2e';
import { walkScreens } from '../support/screens';
import { removeDir, startServer, type TestServer } from '../support/server';

// Every English UI string that differs from its French version, cut at its {params}: none of them
// may show on a French screen. Short fragments are left out (they match inside French words).
function englishFragments(): string[] {
  const pairs: [string, string][] = [
    ...labelKeys().map((k) => [t('en', k), t('fr', k)] as [string, string]),
    ...Object.keys(chrome.en).map((k) => [chrome.en[k as keyof typeof chrome.en], chrome.fr[k as keyof typeof chrome.fr]] as [string, string]),
  ];
  const french = pairs.map(([, fr]) => fr).join('\n');
  const fragments = pairs.filter(([en, fr]) => en !== fr).flatMap(([en]) => en.split(/\{\w+\}/).map((s) => s.trim()));
  // A fragment that also occurs in French ("patients", "Cone-beam CT") proves nothing.
  return [...new Set(fragments)].filter((s) => s.length >= 6 && !french.includes(s));
}

const RAW_KEY = /\b(?:stage|command|event|rule|alert|target|side|guidance|gas|thaw_mode|stimulation|cancel_reason|complication|pain_moment|role|room_status|sex|contraindication|screening|field|ui|app|auth|board|lang|live|nav|case|common|discharge|form|padss|probe|procedure|schedule|timeline|today|vitals|abbr|reports|followUp|sheet|duration|admin)\.[a-zA-Z_]{2,}/;

async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attributes = [...document.querySelectorAll('[aria-label],[title],[placeholder]')].flatMap((el) =>
      ['aria-label', 'title', 'placeholder'].map((a) => el.getAttribute(a) ?? ''),
    );
    const options = [...document.querySelectorAll('option')].map((o) => o.textContent ?? '');
    return [document.title, document.body.innerText, ...attributes, ...options].join('\n');
  });
}

describe('the French UI has no untranslated string', () => {
  let server: TestServer;
  let browser: Browser;
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

  it('walks every screen in French: no English UI words, no raw label keys', async () => {
    const english = englishFragments();
    expect(english.length).toBeGreaterThan(100);
    const problems: string[] = [];
    await walkScreens(browser, server, 'fr', async (name, page) => {
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
      const text = await visibleText(page);
      for (const fragment of english) if (text.includes(fragment)) problems.push(`${name}: English "${fragment}"`);
      const raw = text.match(RAW_KEY);
      if (raw) problems.push(`${name}: raw key "${raw[0]}"`);
    });
    expect(problems).toEqual([]);
  });
});
