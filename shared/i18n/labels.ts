import type { RuleName } from '../domain/rules';
import type { Stage } from '../domain/stages';
import { en } from './en';
import { fr } from './fr';
import type { LabelKey, Labels } from './keys';

export type Lang = 'fr' | 'en';
export const LANGS: readonly Lang[] = ['fr', 'en'];

const DICTIONARIES: Record<Lang, Labels> = { fr, en };

export function t(lang: Lang, key: LabelKey, params: Record<string, string | number> = {}): string {
  const template = DICTIONARIES[lang][key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

// Rejection params that are ids (a stage, a role) are shown by their label in each language.
function localise(lang: Lang, params: Record<string, string | number>): Record<string, string | number> {
  const out = { ...params };
  if (typeof params.stage === 'string') out.stage = t(lang, `stage.${params.stage as Stage}`);
  if (typeof params.role === 'string') out.role = t(lang, `role.${params.role as 'nurse'}`);
  if (typeof params.side === 'string') out.side = t(lang, `side.${params.side as 'left'}`).toLowerCase();
  if (typeof params.allergen === 'string') out.allergen = t(lang, `allergen.${params.allergen as 'latex'}`);
  for (const name of ['agent', 'drug'] as const) {
    const value = params[name];
    if (typeof value === 'string' && `anesthetic.${value}` in DICTIONARIES[lang]) out[name] = t(lang, `anesthetic.${value as 'lidocaine'}`);
  }
  return out;
}

export function rejectionMessage(rule: RuleName, params: Record<string, string | number> = {}): { fr: string; en: string } {
  return { fr: t('fr', `rule.${rule}`, localise('fr', params)), en: t('en', `rule.${rule}`, localise('en', params)) };
}

// Nerve targets are free text: a listed nerve shows its label, anything else shows what was typed.
export function targetLabel(lang: Lang, nerve: string): string {
  const key = `target.${nerve}` as LabelKey;
  return key in DICTIONARIES[lang] ? t(lang, key) : nerve;
}

export const labelKeys = (): LabelKey[] => Object.keys(en) as LabelKey[];
export const dictionary = (lang: Lang): Readonly<Labels> => DICTIONARIES[lang];
