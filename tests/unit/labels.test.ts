import { describe, expect, it } from 'vitest';
import {
  ALERT_CODES, COMMAND_TYPES, EVENT_TYPES, FIELD_NAMES, RULE_NAMES, STAGES, commandSchemas, labelKeys, rejectionMessage,
  scheduleCaseBody, t, targetLabel, type LabelKey,
} from '../../shared';
import { en } from '../../shared/i18n/en';
import { fr } from '../../shared/i18n/fr';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('labels', () => {
  it('every key has a non-empty French and English label with the same placeholders', () => {
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
    expect(rejectionMessage('wrong_stage', { stage: 'freezing' })).toEqual({
      fr: "Cette action n'est pas possible à l'étape actuelle (Congélation).",
      en: 'This action is not possible at the current stage (Freezing).',
    });
    expect(rejectionMessage('probe_still_frozen').fr).toBe(
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
});
