import { domainEn } from './domain-en';
import { domainFr } from './domain-fr';
import { exportsEn } from './exports-en';
import { exportsFr } from './exports-fr';
import type { LabelKey } from './keys';
import { problemsEn } from './problems-en';
import { problemsFr } from './problems-fr';
import { screensEn } from './screens-en';
import { screensFr } from './screens-fr';

export type Lang = 'fr' | 'en';
export const LANGS: readonly Lang[] = ['fr', 'en'];

export type Catalogue = Readonly<Record<LabelKey, string>>;

// One catalogue a language, split by area only for reading: the areas' keys never overlap
// (tests/unit/labels.test.ts checks it), so spreading them loses nothing.
export const fr: Catalogue = { ...domainFr, ...screensFr, ...exportsFr, ...problemsFr };
export const en: Catalogue = { ...domainEn, ...screensEn, ...exportsEn, ...problemsEn };

export const CATALOGUES: Readonly<Record<Lang, Catalogue>> = { fr, en };
