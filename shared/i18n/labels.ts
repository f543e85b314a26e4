import { IntlMessageFormat } from 'intl-messageformat';
import { isCirseGrade } from '../domain/cirse';
import { MAX_RANGE_DAYS, PAIN_SCALE, SCORE_CRITERIA, SCORE_MAX } from '../domain/limits';
import type { RuleName } from '../domain/rules';
import type { Stage } from '../domain/stages';
import { EXPECTED_FREEZE_TEMP_RANGE } from '../domain/vitals';
import { CATALOGUES, type Catalogue, type Lang } from './catalogue';
import type { LabelKey } from './keys';

export { LANGS, type Lang } from './catalogue';

// A parameter is a value, or a text another library already gives in both languages (zxcvbn's
// password advice): the language picks its side when the message is said.
export type Param = string | number | Readonly<Record<Lang, string>>;
export type Params = Readonly<Record<string, Param>>;
type Values = Record<string, string | number>;

const said = (lang: Lang, params: Params): Values =>
  Object.fromEntries(Object.entries(params).map(([name, value]) => [name, typeof value === 'object' ? value[lang] : value]));

/** What to say, not yet said in a language: a label with its parameters, or a broken rule with its own. */
export type Message = { key: LabelKey; params?: Params } | { rule: RuleName; params?: Params };

// Numbers a label states are read from the constants they name, never written in the sentence:
// every message may use these without its caller passing them.
const minus = (n: number) => String(n).replace('-', '\u2212');
const CONSTANTS: Values = {
  painMin: PAIN_SCALE.min,
  painMax: PAIN_SCALE.max,
  scoreMax: SCORE_MAX,
  scoreCriteria: SCORE_CRITERIA,
  maxRangeDays: MAX_RANGE_DAYS,
  expectedWarmest: minus(EXPECTED_FREEZE_TEMP_RANGE.max),
  expectedColdest: minus(EXPECTED_FREEZE_TEMP_RANGE.min),
};

const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };
const compiled = new Map<string, IntlMessageFormat>();

// Compiling an ICU message costs far more than formatting it, and a board or a report formats the
// same few labels thousands of times: one formatter per language and key, built on first use.
function formatter(lang: Lang, key: LabelKey): IntlMessageFormat {
  const id = `${lang}\u0000${key}`;
  let found = compiled.get(id);
  if (!found) {
    // Tags off: "< 48 h" and "<b>" in clinical text are words, not markup.
    found = new IntlMessageFormat(CATALOGUES[lang][key] ?? key, LOCALES[lang], undefined, { ignoreTag: true });
    compiled.set(id, found);
  }
  return found;
}

/** The one way to put a label into words: ICU MessageFormat, so plurals follow each language's rules. */
export function t(lang: Lang, key: LabelKey, params: Params = {}): string {
  try {
    return formatter(lang, key).format<string>({ ...CONSTANTS, ...said(lang, params) }) as string;
  } catch {
    // A parameter the caller forgot shows the label's own text rather than taking the screen down.
    return CATALOGUES[lang][key] ?? key;
  }
}

// Rule params that are ids (a stage, a role) are shown by their label in each language.
function localise(lang: Lang, params: Params): Values {
  const out = said(lang, params);
  if (typeof params.stage === 'string') out.stage = t(lang, `stage.${params.stage as Stage}`);
  if (typeof params.role === 'string') out.role = t(lang, `role.${params.role as 'nurse'}`);
  if (typeof params.guidance === 'string') out.guidance = t(lang, `guidance.${params.guidance as 'ct'}`);
  if (typeof params.side === 'string') out.side = t(lang, `side.${params.side as 'left'}`).toLowerCase();
  if (typeof params.allergen === 'string') out.allergen = t(lang, `allergen.${params.allergen as 'latex'}`);
  for (const name of ['agent', 'drug'] as const) {
    const value = params[name];
    if (typeof value === 'string' && `anesthetic.${value}` in CATALOGUES[lang]) out[name] = t(lang, `anesthetic.${value as 'lidocaine'}`);
  }
  return out;
}

/** Why a rule refused, in `lang`: the domain gives the rule's name and parameters, the edge says it. */
export const ruleText = (lang: Lang, rule: RuleName, params: Params = {}): string => t(lang, `rule.${rule}`, localise(lang, params));

export const translate = (lang: Lang, message: Message): string =>
  'rule' in message ? ruleText(lang, message.rule, message.params) : t(lang, message.key, message.params);

// Nerve targets are free text: a listed nerve shows its label, anything else shows what was typed.
export function targetLabel(lang: Lang, nerve: string): string {
  const key = `target.${nerve}` as LabelKey;
  return key in CATALOGUES[lang] ? t(lang, key) : nerve;
}

// One way to write a target everywhere (lists, reports, CSV, FHIR text): two targets on the same
// nerve at different levels must never read alike, so the level is always written when there is one.
export function describeTarget(lang: Lang, target: TargetText): string {
  const { site, side } = targetParts(lang, target);
  return `${site} — ${side}`;
}

type TargetText = { nerve: string; level?: string | null; side: string };

/** The two halves of describeTarget, for a screen that sets the side apart (the time-out reads it aloud). */
export function targetParts(lang: Lang, target: TargetText): { site: string; side: string } {
  const level = target.level?.trim();
  const side = `side.${target.side}` as LabelKey;
  return { site: `${targetLabel(lang, target.nerve)}${level ? ` ${level}` : ''}`, side: side in CATALOGUES[lang] ? t(lang, side) : target.side };
}

// A CIRSE grade with its meaning, wherever a grade is shown ("CIRSE 2 : surveillance prolongée…").
export function describeCirseGrade(lang: Lang, grade: number): string {
  return isCirseGrade(grade) ? `${t(lang, 'common.colon', { label: `CIRSE ${grade}` })} ${t(lang, `cirse.${grade}`)}` : `CIRSE ${grade}`;
}

export const labelKeys = (): LabelKey[] => Object.keys(CATALOGUES.en) as LabelKey[];
export const dictionary = (lang: Lang): Catalogue => CATALOGUES[lang];
