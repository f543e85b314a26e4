import { describe, expect, it } from 'vitest';
import { displayNameKey, displayNameTaken, ruleText } from '../../shared';
import { checkPasswordStrength } from '../../shared/domain/password-strength';

describe('account rules (shared by the API, the CLI and the screens)', () => {
  const active = [{ id: 'a', displayName: 'Inès Martin' }];

  it('display_name_taken: refused for the same name in another case, accent or spacing; allowed for another name or the account itself', () => {
    expect(displayNameKey('  INÈS   Martin ')).toBe('ines martin');
    for (const twin of ['ines martin', 'Ines-Martin', 'INÈS  MARTIN']) expect(displayNameTaken(twin, active), twin).toBe(true);
    expect(displayNameTaken('Inès Martinez', active)).toBe(false);
    expect(displayNameTaken('Inès Martin', active, 'a')).toBe(false);
  });

  it('password_too_weak: refused for the issue’s examples and the account’s own words, with the reason in both languages; allowed for a passphrase', () => {
    for (const weak of ['aaaaaaaaaa', '1234567890', 'password12', 'motdepasse12']) {
      const verdict = checkPasswordStrength(weak);
      expect(verdict.ok, weak).toBe(false);
      if (!verdict.ok) {
        expect(verdict.rule).toBe('password_too_weak');
        expect(ruleText('fr', verdict.rule, verdict.params)).toMatch(/^Mot de passe trop facile à deviner\u00a0: /);
        expect(ruleText('en', verdict.rule, verdict.params)).toMatch(/^Password too easy to guess: /);
      }
    }
    expect(checkPasswordStrength('inesmartin2024', { username: 'ines', displayName: 'Inès Martin' }).ok).toBe(false);
    expect(checkPasswordStrength('Glacier-Sonde-Azur-93', { username: 'ines', displayName: 'Inès Martin' }).ok).toBe(true);
  });

  it('password_too_short / password_too_long: refused by length before any estimate', () => {
    expect(checkPasswordStrength('Gl-Az-93')).toMatchObject({ ok: false, rule: 'password_too_short' });
    expect(checkPasswordStrength('x'.repeat(257))).toMatchObject({ ok: false, rule: 'password_too_long' });
  });
});
