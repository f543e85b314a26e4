import { describe, expect, it } from 'vitest';
import { CIRSE_GRADES, describeCirseGrade, describeTarget } from '../../shared';

describe('describeTarget: one way to write a target', () => {
  it('two targets on the same nerve at different levels read differently', () => {
    const t6 = describeTarget('fr', { nerve: 'intercostal', level: 'T6', side: 'left' });
    const t7 = describeTarget('fr', { nerve: 'intercostal', level: 'T7', side: 'left' });
    expect(t6).toBe('Nerf intercostal T6 — Gauche');
    expect(t7).toBe('Nerf intercostal T7 — Gauche');
    expect(t6).not.toBe(t7);
  });

  it('writes nerve and side without a level, in each language, and free text as typed', () => {
    expect(describeTarget('fr', { nerve: 'genicular', side: 'right' })).toBe('Nerfs géniculés (genou) — Droite');
    expect(describeTarget('en', { nerve: 'genicular', level: null, side: 'right' })).toBe('Genicular nerves (knee) — Right');
    expect(describeTarget('en', { nerve: 'Nerf saphène', level: '  ', side: 'bilateral' })).toBe('Nerf saphène — Bilateral');
  });
});

describe('describeCirseGrade: a grade with its meaning', () => {
  it('gives every CIRSE grade 1–6 a meaning in French and English', () => {
    for (const grade of CIRSE_GRADES) {
      expect(describeCirseGrade('fr', grade)).toMatch(new RegExp(`^CIRSE ${grade}\u00a0: \\S`));
      expect(describeCirseGrade('en', grade)).toMatch(new RegExp(`^CIRSE ${grade}: \\S`));
    }
    expect(describeCirseGrade('fr', 6)).toBe('CIRSE 6\u00a0: décès');
    expect(describeCirseGrade('en', 1)).toBe('CIRSE 1: resolved during the session, no sequelae');
  });

  it('writes an unknown grade bare rather than inventing a meaning', () => {
    expect(describeCirseGrade('fr', 9)).toBe('CIRSE 9');
  });
});
