import { describe, expect, it } from 'vitest';
import { GS, gs1CheckDigit, gs1Date, gtinCheckDigitValid, normaliseGtin, parseUdi, type UdiResult } from '../../shared';

// The check digit computed here by the textbook rule (from the right: 3, 1, 3, 1…), independently of
// the code under test, so a wrong weight in the parser cannot agree with itself.
const withCheckDigit = (body: string): string => {
  const sum = [...body].reverse().reduce((total, digit, i) => total + Number(digit) * (i % 2 === 0 ? 3 : 1), 0);
  return body + String((10 - (sum % 10)) % 10);
};
const PROBE = withCheckDigit('0761234500017');
const INTRODUCER = withCheckDigit('1540012345678');
const wrongCheck = (gtin: string) => gtin.slice(0, 13) + String((Number(gtin[13]) + 1) % 10);

describe('GS1 check digit', () => {
  it('matches a published EAN-13 and the textbook rule', () => {
    expect(gs1CheckDigit('400638133393')).toBe(1);
    expect(gtinCheckDigitValid('04006381333931')).toBe(true);
    expect(gtinCheckDigitValid(PROBE)).toBe(true);
    expect(gtinCheckDigitValid(INTRODUCER)).toBe(true);
    expect(gtinCheckDigitValid(wrongCheck(PROBE))).toBe(false);
  });

  it('typed GTIN-8/12/13 become the 14 digits of application identifier (01); other lengths are not GTINs', () => {
    expect(normaliseGtin('4006381333931')).toBe('04006381333931');
    expect(normaliseGtin('96385074')).toBe('00000096385074');
    expect(normaliseGtin('12345')).toBeNull();
    expect(normaliseGtin('0400638133393A')).toBeNull();
  });
});

describe('GS1 dates (YYMMDD)', () => {
  it.each([
    ['271231', '2027-12-31'],
    ['260200', '2026-02-28'],
    ['280200', '2028-02-29'],
    ['250400', '2025-04-30'],
    ['251100', '2025-11-30'],
    ['250101', '2025-01-01'],
  ])('%s is %s (day 00 is the last day of the month)', (raw, date) => expect(gs1Date(raw)).toBe(date));

  it.each(['251301', '250230', '250000', '25011', 'AB0101'])('%s is no date', (raw) => expect(gs1Date(raw)).toBeNull());
});

describe('parseUdi: the table of scanned codes', () => {
  const ok = (fields: Record<string, string>): UdiResult => ({ ok: true, fields });
  const cases: [string, string, UdiResult][] = [
    ['human-readable, all four fields', `(01)${PROBE}(17)271231(10)LOT42A(21)SN0001`, ok({ gtin: PROBE, expiry: '2027-12-31', lot: 'LOT42A', serial: 'SN0001' })],
    ['human-readable, lot before expiry, day 00', `(01)${PROBE}(10)A1-77(17)260200`, ok({ gtin: PROBE, lot: 'A1-77', expiry: '2026-02-28' })],
    ['human-readable with production date tolerated', `(01)${INTRODUCER}(11)240115(17)290600(10)B7`, ok({ gtin: INTRODUCER, productionDate: '2024-01-15', expiry: '2029-06-30', lot: 'B7' })],
    ['human-readable with GS between fields and a trailing newline', `(01)${PROBE}${GS}(10)L9${GS}(17)271231\n`, ok({ gtin: PROBE, lot: 'L9', expiry: '2027-12-31' })],
    ['raw, variable lot ended by GS, then serial at the end', `01${PROBE}17271231` + `10LOT42A${GS}21SN0001`, ok({ gtin: PROBE, expiry: '2027-12-31', lot: 'LOT42A', serial: 'SN0001' })],
    ['raw with DataMatrix prefix ]d2', `]d201${PROBE}17271231` + `10LOT42A`, ok({ gtin: PROBE, expiry: '2027-12-31', lot: 'LOT42A' })],
    ['raw with GS1-128 prefix ]C1 and a leading FNC1', `]C1${GS}01${INTRODUCER}10X-1${GS}17300100`, ok({ gtin: INTRODUCER, lot: 'X-1', expiry: '2030-01-31' })],
    ['raw, lot last with no GS', `01${PROBE}11250101` + `10ABC`, ok({ gtin: PROBE, productionDate: '2025-01-01', lot: 'ABC' })],
    ['GTIN check digit wrong (human-readable)', `(01)${wrongCheck(PROBE)}(10)LOT42A`, { ok: false, error: 'device_gtin_check_digit' }],
    ['GTIN check digit wrong (raw)', `01${wrongCheck(PROBE)}10LOT42A`, { ok: false, error: 'device_gtin_check_digit' }],
    ['unknown application identifier', `(01)${PROBE}(99)X`, { ok: false, error: 'device_udi_unreadable' }],
    ['GTIN too short', `(01)0761234(10)L`, { ok: false, error: 'device_udi_unreadable' }],
    ['raw GTIN cut short', `010761234500`, { ok: false, error: 'device_udi_unreadable' }],
    ['impossible expiry', `(01)${PROBE}(17)251340(10)L`, { ok: false, error: 'device_udi_unreadable' }],
    ['lot longer than 20', `01${PROBE}10${'L'.repeat(21)}`, { ok: false, error: 'device_udi_unreadable' }],
    ['no GTIN', `(10)LOT42A(17)271231`, { ok: false, error: 'device_udi_unreadable' }],
    ['the same application identifier twice', `(01)${PROBE}(10)A(10)B`, { ok: false, error: 'device_udi_unreadable' }],
    ['text before the first bracket', `x(01)${PROBE}`, { ok: false, error: 'device_udi_unreadable' }],
    ['empty', '   ', { ok: false, error: 'device_udi_unreadable' }],
  ];
  it.each(cases)('%s', (_name, scanned, expected) => expect(parseUdi(scanned)).toEqual(expected));

  it('both forms of one label read the same', () => {
    const human = parseUdi(`(01)${PROBE}(17)271231(10)LOT42A(21)SN0001`);
    const raw = parseUdi(`]d201${PROBE}17271231` + `10LOT42A${GS}21SN0001`);
    expect(raw).toEqual(human);
  });
});
