import { describe, expect, it } from 'vitest';
import { chrome } from '../../web/src/lib/i18n';

// The screen chrome of the web app: both languages hold every key, none empty, same {params}.
describe('web screen chrome (FR/EN)', () => {
  const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('has the same keys in French and English', () => {
    expect(Object.keys(chrome.fr).sort()).toEqual(Object.keys(chrome.en).sort());
  });

  it('has no empty label and the same placeholders in both languages', () => {
    for (const key of Object.keys(chrome.en) as (keyof typeof chrome.en)[]) {
      expect(chrome.en[key].trim(), `en ${key}`).not.toBe('');
      expect(chrome.fr[key].trim(), `fr ${key}`).not.toBe('');
      expect(params(chrome.fr[key]), key).toEqual(params(chrome.en[key]));
    }
  });

  // French sets a no-break space before « : ; ? ! » and inside « », so a line never starts with a
  // lone colon or question mark on a narrow tablet ("Confirmer : Autoriser la sortie ?").
  it('keeps French punctuation with its no-break space', () => {
    const loose = Object.entries(chrome.fr).filter(([, text]) => / [:;?!»]|« /.test(text) || /[^\s\u00a0\u202f][:;?!»](?![\w/])/u.test(text.replace(/\{\w+\}/g, 'x').replace(/\d[:;]\d/g, '')));
    expect(loose.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });
});
