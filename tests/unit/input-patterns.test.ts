import { describe, expect, it } from 'vitest';
import { commandPayloads } from '../../shared';
import { USERNAME_PATTERN } from '../../shared/domain/accounts';
import { INPUT_PATTERNS, NEGATIVE_DECIMAL_INPUT_PATTERN, PHONE_INPUT_PATTERN } from '../../web/src/lib/input-patterns';

// What Chromium does with an input's pattern attribute (HTML: "compiled with the v flag, anchored").
const asChromium = (pattern: string) => new RegExp(`^(?:${pattern})$`, 'v');

/** Every string pattern of the command schemas: the case view turns them into pattern attributes. */
function schemaPatterns(node: unknown, found: string[] = []): string[] {
  if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value === 'string') found.push(value);
      else schemaPatterns(value, found);
    }
  }
  return found;
}

describe('input patterns as Chromium compiles them', () => {
  it('given the patterns written in the screens and in the schemas, when compiled with the v flag, then none is refused', () => {
    const patterns = [...INPUT_PATTERNS, USERNAME_PATTERN, ...schemaPatterns(commandPayloads)];
    expect(patterns.length).toBeGreaterThan(6);
    for (const pattern of patterns) expect(() => asChromium(pattern), pattern).not.toThrow();
  });

  it('given the old phone and temperature patterns, when compiled with the v flag, then they were refused (the defect this guards)', () => {
    expect(() => asChromium('[0-9+().\\- ]+')).toThrow();
    expect(() => asChromium('[-−]?[0-9]+([.,][0-9]+)?')).toThrow();
  });

  it('checks what it should: a phone, a negative temperature with either minus', () => {
    expect(asChromium(PHONE_INPUT_PATTERN).test('+33 (0)6 12-34.56')).toBe(true);
    expect(asChromium(PHONE_INPUT_PATTERN).test('06 12 ab')).toBe(false);
    expect(asChromium(NEGATIVE_DECIMAL_INPUT_PATTERN).test('−80,5')).toBe(true);
    expect(asChromium(NEGATIVE_DECIMAL_INPUT_PATTERN).test('-80')).toBe(true);
    expect(asChromium(NEGATIVE_DECIMAL_INPUT_PATTERN).test('--80')).toBe(false);
  });
});
