import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { Problem, problemBody } from '../../server/http/problem';
import {
  ALERT_CODES, COMMAND_TYPES, EVENT_TYPES, EXPECTED_FREEZE_TEMP_RANGE, FIELD_NAMES, MAX_RANGE_DAYS, PAIN_SCALE, RULE_NAMES,
  SCORE_CRITERIA, SCORE_MAX, STAGES, commandSchemas, labelKeys, reject, ruleText, scheduleCaseBody, t,
  targetLabel, translate, type LabelKey,
} from '../../shared';
import { en, fr } from '../../shared/i18n/catalogue';
import { domainEn } from '../../shared/i18n/domain-en';
import { exportsEn } from '../../shared/i18n/exports-en';
import { problemsEn } from '../../shared/i18n/problems-en';
import { screensEn } from '../../shared/i18n/screens-en';

// The arguments a message takes, read from its ICU syntax (a plural's {count} as much as a plain {name}).
type Element = ReturnType<IntlMessageFormat['getAst']>[number];
const LITERAL = 0; // the parser's TYPE.literal: text, not an argument
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (elements: Element[]): void => {
    for (const el of elements) {
      if (el.type !== LITERAL && 'value' in el && typeof el.value === 'string') names.add(el.value);
      if ('options' in el) for (const option of Object.values(el.options)) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, 'fr', undefined, { ignoreTag: true }).getAst());
  return [...names].sort();
}
// Grammar one language needs and the other does not (French agrees "né" / "née" with the patient).
const GRAMMATICAL = new Set(['sex']);
const placeholders = (message: string) => argumentsOf(message).filter((name) => !GRAMMATICAL.has(name));

describe('labels', () => {
  it('every key of every area has a non-empty French and English label with the same arguments', () => {
    const areas = [domainEn, screensEn, exportsEn, problemsEn].map((area) => Object.keys(area));
    // One key type: no area redefines another's key, and the catalogue is exactly their union.
    expect(areas.flat().length).toBe(new Set(areas.flat()).size);
    expect(labelKeys().sort()).toEqual(areas.flat().sort());
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const key of labelKeys()) {
      expect(fr[key].trim(), key).not.toBe('');
      expect(en[key].trim(), key).not.toBe('');
      expect(placeholders(fr[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('covers every stage, command, event, rule and alert', () => {
    const keys = new Set<string>(labelKeys());
    const expected = [
      ...STAGES.map((s) => `stage.${s}`), ...COMMAND_TYPES.map((c) => `command.${c}`), ...EVENT_TYPES.map((e) => `event.${e}`),
      ...RULE_NAMES.map((r) => `rule.${r}`), ...ALERT_CODES.map((a) => `alert.${a}`),
    ];
    for (const k of expected) expect(keys.has(k), k).toBe(true);
  });

  it('no English left in French for stages, commands, events and rules', () => {
    const translated = labelKeys().filter((k) => /^(stage|command|event|rule|alert)\./.test(k));
    for (const key of translated) expect(fr[key], key).not.toBe(en[key]);
  });

  it('interpolates and localises parameters', () => {
    expect(t('fr', 'rule.observation_too_short', { elapsed: 10, required: 15 })).toBe('Surveillance trop courte\u00a0: 10 min sur les 15 min requises.');
    expect(ruleText('fr', 'wrong_stage', { stage: 'freezing' })).toBe("Cette action n'est pas possible à l'étape actuelle (Congélation).");
    expect(ruleText('en', 'wrong_stage', { stage: 'freezing' })).toBe('This action is not possible at the current stage (Freezing).');
    expect(ruleText('fr', 'probe_still_frozen')).toBe(
      'La sonde est encore gelée\u00a0: attendez la fin du dégel avant de la retirer ou de la déplacer.',
    );
  });

  it('targets are free text with labels for the known nerves', () => {
    expect(targetLabel('fr', 'pudendal')).toBe('Nerf pudendal');
    expect(targetLabel('en', 'nerf sural')).toBe('nerf sural');
    expect(t('en', 'side.midline' as LabelKey)).toBe('Midline');
  });

  it('the discharge ranges come from VITAL_RANGES, not from the sentence', () => {
    for (const lang of [fr, en]) expect(lang['rule.vitals_abnormal']).not.toMatch(/\d{2}/); // SpO2 is a name, not a limit
  });

  it('every property of every command body has a French and English field label', () => {
    // Contraindications are labelled by the screening vocabulary; every other property by field.<name>.
    const keyOf = (parent: string, name: string) => (parent === 'contraindications' ? `contraindication.${name}` : `field.${name}`) as LabelKey;
    const found = new Map<string, LabelKey>();
    const walk = (schema: unknown, parent: string): void => {
      if (schema === null || typeof schema !== 'object') return;
      const s = schema as { properties?: Record<string, unknown>; items?: unknown; anyOf?: unknown[] };
      for (const [name, child] of Object.entries(s.properties ?? {})) {
        found.set(`${parent}.${name}`, keyOf(parent, name));
        walk(child, name);
      }
      walk(s.items, parent);
      for (const option of s.anyOf ?? []) walk(option, parent);
    };
    for (const type of COMMAND_TYPES) walk(commandSchemas[type], '');
    walk(scheduleCaseBody, '');
    expect(found.size).toBeGreaterThan(60);
    for (const [path, key] of found) {
      if (key.startsWith('field.')) expect(FIELD_NAMES as readonly string[], path).toContain(key.slice('field.'.length));
      expect(key in fr && fr[key].trim() !== '', `fr ${path}`).toBe(true);
      expect(key in en && en[key].trim() !== '', `en ${path}`).toBe(true);
      expect(t('fr', key), path).not.toBe(key);
    }
  });

  it('says a count with each language\'s plural rule, and no label hedges with "(s)"', () => {
    // French counts 0 and 1 as singular, English only 1.
    expect([0, 1, 2].map((count) => t('fr', 'board.cycles', { count }))).toEqual(['0 cycle', '1 cycle', '2 cycles']);
    expect([0, 1, 2].map((count) => t('en', 'board.cycles', { count }))).toEqual(['0 cycles', '1 cycle', '2 cycles']);
    expect(t('fr', 'reports.aborted', { aborted: 1 })).toBe('dont 1 geste interrompu avant la fin');
    expect(t('fr', 'reports.aborted', { aborted: 3 })).toBe('dont 3 gestes interrompus avant la fin');
    expect(t('en', 'confirm.untreated', { count: 1 })).toBe('1 planned target not treated yet.');
    expect(t('fr', 'confirm.untreated', { count: 2 })).toBe('2 cibles prévues pas encore traitées.');
    expect(t('fr', 'sheet.born', { date: '1 mai 1950', sex: 'female' })).toBe('née le 1 mai 1950');
    expect(t('fr', 'sheet.born', { date: '1 mai 1950', sex: 'male' })).toBe('né le 1 mai 1950');
    expect(t('fr', 'export.timeOut', { targets: 'x', marked: 'yes' })).toMatch(/site marqué : oui$/);
    expect(t('en', 'export.timeOut', { targets: 'x', marked: 'no' })).toMatch(/site marked: no$/);
    const hedged = labelKeys().flatMap((key) => [fr[key], en[key]].filter((text) => /\p{L}\((?:s|x|e|es)\)/u.test(text)).map((text) => `${key}: ${text}`));
    expect(hedged).toEqual([]);
  });

  it('reads the numbers a label states from the constants they name', () => {
    const written = labelKeys().flatMap((key) =>
      [fr[key], en[key]].filter((text) => /\b366\b|\b0[–-]10\b|\/10\b|[−-]70|[−-]90|\b5 (?:crit|items)/.test(text)).map((text) => `${key}: ${text}`),
    );
    expect(written).toEqual([]);
    expect(t('en', 'reports.rangeHint')).toContain(`At most ${MAX_RANGE_DAYS} days`);
    expect(t('fr', 'field.painScore')).toBe(`Douleur (${PAIN_SCALE.min}–${PAIN_SCALE.max})`);
    expect(t('en', 'padss.total', { total: 8, min: 9 })).toBe(`PADSS total: 8/${SCORE_MAX} (at least 9 to go home)`);
    expect(t('en', 'aldrete.incomplete', { missing: 2 })).toContain(`Score all ${SCORE_CRITERIA} items`);
    const minus = (n: number) => String(n).replace('-', '\u2212');
    expect(t('en', 'ui.expected_temperature')).toBe(`Expected ${minus(EXPECTED_FREEZE_TEMP_RANGE.max)} to ${minus(EXPECTED_FREEZE_TEMP_RANGE.min)} °C`);
  });

  it('the decider names the rule and its values; the words come at the edge, in each language', () => {
    const rejection = reject('observation_too_short', { elapsed: 10, required: 15 });
    expect(rejection).toEqual({ code: 'rule_violated', rule: 'observation_too_short', params: { elapsed: 10, required: 15 } });
    expect(ruleText('en', rejection.rule, rejection.params)).toBe('Observation too short: 10 min of the 15 min required.');
    expect(translate('fr', rejection)).toBe(ruleText('fr', rejection.rule, rejection.params));
    // The API's problem writer says it in the request's language, title and detail alike.
    const problem = new Problem(422, 'rule_violated', { rule: 'wrong_stage', params: { stage: 'freezing' } }, { rule: 'wrong_stage' });
    expect(problemBody(problem, 'fr')).toMatchObject({
      title: 'Règle de sécurité non respectée',
      detail: "Cette action n'est pas possible à l'étape actuelle (Congélation).",
      rule: 'wrong_stage',
    });
    expect(problemBody(problem, 'en')).toMatchObject({ title: 'Safety rule not met', detail: 'This action is not possible at the current stage (Freezing).' });
    const conflict = new Problem(409, 'version_conflict', { key: 'problem.version_conflict', params: { current: 4, expected: 3 } });
    expect(problemBody(conflict, 'en').detail).toBe('The case changed meanwhile (version 4, you had 3): check it and try again.');
  });

  it('a label called without the values it names shows its own text rather than throwing', () => {
    expect(() => t('en', 'board.cycles')).not.toThrow();
    expect(t('en', 'problem.case_not_found')).toBe('This case does not exist.');
  });
});
