import { isCirseGrade } from '../domain/cirse';
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

// One way to write a target everywhere (lists, reports, CSV, FHIR text): two targets on the same
// nerve at different levels must never read alike, so the level is always written when there is one.
export function describeTarget(lang: Lang, target: { nerve: string; level?: string | null; side: string }): string {
  const level = target.level?.trim();
  const side = `side.${target.side}` as LabelKey;
  const sideText = side in DICTIONARIES[lang] ? t(lang, side) : target.side;
  return `${targetLabel(lang, target.nerve)}${level ? ` ${level}` : ''} — ${sideText}`;
}

// A CIRSE grade with its meaning, wherever a grade is shown ("CIRSE 2 : surveillance prolongée…").
export function describeCirseGrade(lang: Lang, grade: number): string {
  const meaning = isCirseGrade(grade) ? t(lang, `cirse.${grade}`) : '';
  return meaning ? `CIRSE ${grade}${lang === 'fr' ? '\u00a0:' : ':'} ${meaning}` : `CIRSE ${grade}`;
}

export const labelKeys = (): LabelKey[] => Object.keys(en) as LabelKey[];
export const dictionary = (lang: Lang): Readonly<Labels> => DICTIONARIES[lang];
