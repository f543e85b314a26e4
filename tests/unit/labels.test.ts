import { describe, expect, it } from 'vitest';
import {
  ALERT_CODES, COMMAND_TYPES, EVENT_TYPES, RULE_NAMES, STAGES, labelKeys, rejectionMessage, t, targetLabel, type LabelKey,
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
    expect(t('fr', 'rule.observation_too_short', { elapsed: 10, required: 15 })).toBe('Surveillance trop courte : 10 min sur les 15 min requises.');
    expect(rejectionMessage('wrong_stage', { stage: 'freezing' })).toEqual({
      fr: "Cette action n'est pas possible à l'étape actuelle (Congélation).",
      en: 'This action is not possible at the current stage (Freezing).',
    });
    expect(rejectionMessage('probe_still_frozen').fr).toBe(
      'La sonde est encore gelée : attendez la fin du dégel avant de la retirer ou de la déplacer.',
    );
  });

  it('targets are free text with labels for the known nerves', () => {
    expect(targetLabel('fr', 'pudendal')).toBe('Nerf pudendal');
    expect(targetLabel('en', 'nerf sural')).toBe('nerf sural');
    expect(t('en', 'side.midline' as LabelKey)).toBe('Midline');
  });
});
