import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import * as fr from '@zxcvbn-ts/language-fr';
import type { Lang, Params } from '../i18n/labels';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, MIN_PASSWORD_SCORE, displayNameKey } from './accounts';

// Kept out of shared/index.ts on purpose: the dictionaries weigh megabytes, so the screens that
// need them load this module on demand and the nurse tablet's bundle does not carry them.

/** Words an attacker tries first against this unit's accounts. */
export const PRODUCT_WORDS = ['cryoday', 'cryo', 'cryoneurolyse', 'cryoneurolysis', 'radiologie', 'radiology', 'admin'];

export interface PasswordContext {
  username?: string;
  displayName?: string;
  /** More words to count as guessable (the unit's name, for instance). */
  words?: readonly string[];
}

export type PasswordRule = 'password_too_short' | 'password_too_long' | 'password_too_weak';

export type PasswordVerdict =
  | { ok: true; score: number }
  | { ok: false; rule: PasswordRule; score: number; params: Params };

const TRANSLATIONS = { fr: fr.translations, en: en.translations } as const;

let estimator: ZxcvbnFactory | null = null;
// Built on first use: ranking the dictionaries takes a moment nobody should wait for at start-up.
// No Levenshtein matching: against these dictionaries it costs about a second of CPU per check,
// blocking the server; l33t, reversed and user-word matching still apply.
const zxcvbn = () =>
  (estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary, ...fr.dictionary },
    graphs: common.adjacencyGraphs,
  }));

function userWords(context: PasswordContext): string[] {
  const raw = [context.username ?? '', context.displayName ?? '', ...(context.words ?? [])];
  // Each word alone and all run together: "inesmartin" is as guessable as "Inès Martin".
  const words = raw.flatMap((w) => [w, displayNameKey(w).replace(/ /g, ''), ...displayNameKey(w).split(' ')]).map((w) => w.trim().toLowerCase());
  return [...new Set([...words, ...PRODUCT_WORDS].filter((w) => w.length >= 3))];
}

/** zxcvbn's own warning and suggestions, in `lang`, as one sentence. */
function reason(result: ZxcvbnResult, lang: Lang): string {
  const dict = TRANSLATIONS[lang];
  const warning = result.feedback.warning ? dict.warnings[result.feedback.warning as keyof typeof dict.warnings] : undefined;
  const suggestions = result.feedback.suggestions.map((s) => dict.suggestions[s as keyof typeof dict.suggestions]).filter(Boolean);
  const parts = [warning, ...suggestions].filter((p): p is string => !!p).map((p) => p.replace(/\.$/, ''));
  return (parts.length ? parts : [dict.suggestions.anotherWord.replace(/\.$/, '')]).join('. ') + '.';
}

/** The one password rule: length, then a zxcvbn score of at least MIN_PASSWORD_SCORE with the account's own words counted as guessable. */
export function checkPasswordStrength(password: string, context: PasswordContext = {}): PasswordVerdict {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return { ok: false, rule: 'password_too_short', score: 0, params: { min: MIN_PASSWORD_LENGTH } };
  }
  if (length > MAX_PASSWORD_LENGTH) {
    return { ok: false, rule: 'password_too_long', score: 0, params: { max: MAX_PASSWORD_LENGTH } };
  }
  // zxcvbn's cost grows with the length; past 100 characters a password is long enough on its own.
  const result = zxcvbn().check(password.slice(0, 100), userWords(context));
  if (result.score >= MIN_PASSWORD_SCORE) return { ok: true, score: result.score };
  return {
    ok: false,
    rule: 'password_too_weak',
    score: result.score,
    params: { reason: { fr: reason(result, 'fr'), en: reason(result, 'en') } },
  };
}
