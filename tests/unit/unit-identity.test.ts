import { describe, expect, it } from 'vitest';
import { COMPLICATION_KINDS, t, UNIT_IDENTITY_FIELDS, unitIdentityGaps } from '../../shared';

describe('unit identity and complication advice (shared data)', () => {
  it('names every field as missing until an admin saved one, then only the blank ones', () => {
    expect(unitIdentityGaps(null)).toEqual([...UNIT_IDENTITY_FIELDS]);
    const filled = { name: 'RI', address: '40 rue Worth', dayPhone: '01 46 25 20 00', nightPhone: '  ', referringRadiologist: 'Dr Roche' };
    expect(unitIdentityGaps(filled)).toEqual(['nightPhone']);
    expect(unitIdentityGaps({ ...filled, nightPhone: '01 46 25 21 21' })).toEqual([]);
  });

  it('has home advice in French and English for every complication kind', () => {
    for (const kind of COMPLICATION_KINDS) {
      expect(t('fr', `complication_advice.${kind}`).trim(), kind).not.toBe('');
      expect(t('en', `complication_advice.${kind}`).trim(), kind).not.toBe('');
      expect(t('fr', `complication_advice.${kind}`), kind).not.toBe(t('en', `complication_advice.${kind}`));
    }
  });
});
