import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { t } from '../../shared';
import { screensEn } from '../../shared/i18n/screens-en';
import { screensFr } from '../../shared/i18n/screens-fr';

const WEB = join(import.meta.dirname, '../../web/src');
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|svelte)$/.test(name) ? [path] : [];
  });

// The screens' chrome lives in the shared catalogue (tests/unit/labels.test.ts checks every key in
// both languages); the web keeps only its reactive language on top of the shared t().
describe('web screen chrome (FR/EN)', () => {
  it('the web defines no label and fills no template of its own', () => {
    expect(readdirSync(join(WEB, 'lib/i18n'))).toEqual(['language.svelte.ts']);
    const own = sources(WEB).filter((path) => {
      const text = readFileSync(path, 'utf8');
      // A second interpolation helper, or a {fr, en} pair written in a screen.
      return /\.replace\(\/\\\{/.test(text) || /\bfr: ['"`]/.test(text);
    });
    expect(own.map((path) => path.slice(WEB.length + 1))).toEqual([]);
  });

  it('says the board and checklist counts in each language’s plural', () => {
    expect(t('fr', 'timeout.remaining', { count: 1 })).toBe('Encore 1 point à confirmer à voix haute.');
    expect(t('fr', 'timeout.remaining', { count: 0 })).toBe('Encore 0 point à confirmer à voix haute.');
    expect(t('en', 'signout.remaining', { count: 0 })).toBe('0 items still to confirm.');
    expect(t('en', 'sheet.cycles', { count: 1 })).toBe('1 freeze cycle');
    expect(t('fr', 'sheet.doneIntro', { count: 2 })).toContain('a refroidi les nerfs ci-dessous');
    expect(t('en', 'sheet.doneIntro', { count: 1 })).toContain('froze the nerve below');
  });

  // French sets a no-break space before « : ; ? ! » and inside « », so a line never starts with a
  // lone colon or question mark on a narrow tablet ("Confirmer : Autoriser la sortie ?").
  it('keeps French punctuation with its no-break space', () => {
    expect(Object.keys(screensFr).sort()).toEqual(Object.keys(screensEn).sort());
    const loose = Object.entries(screensFr as Record<string, string>).filter(([, text]) => / [:;?!»]|« /.test(text) || /[^\s\u00a0\u202f][:;?!»](?![\w/])/u.test(text.replace(/\{[^{}]*\}/g, 'x').replace(/\d[:;]\d/g, '')));
    expect(loose.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });
});
