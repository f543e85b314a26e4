import { en, type ChromeKey } from './en';
import { fr } from './fr';

export type { ChromeKey };

/** Screen chrome per language; fr is typed against en's keys, so a missing translation does not compile. */
export const chrome: { en: Record<ChromeKey, string>; fr: Record<ChromeKey, string> } = { en, fr };
