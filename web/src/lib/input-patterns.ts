// Chromium compiles an input's `pattern` with the `v` flag, where `(`, `)` and a bare `-` inside a
// character class are syntax errors: a pattern that does not compile is silently never checked.
// Every pattern written in a template lives here, and tests/unit/input-patterns.test.ts compiles each one as Chromium does.

/** A phone number as typed: digits, spaces, +, parentheses, dots and dashes (the schema says the same). */
export const PHONE_INPUT_PATTERN = '[0-9+\\(\\)\\.\\- ]+';
/** A probe temperature: may be negative, written with the minus sign or a hyphen, a comma or a dot for decimals. */
export const NEGATIVE_DECIMAL_INPUT_PATTERN = '[\\-−]?[0-9]+([.,][0-9]+)?';
export const DECIMAL_INPUT_PATTERN = '-?[0-9]+([.,][0-9]+)?';
/** A vital sign with one decimal (temperature). */
export const ONE_DECIMAL_INPUT_PATTERN = '[0-9]+([.,][0-9])?';
export const WHOLE_NUMBER_INPUT_PATTERN = '[0-9]*';
export const GAUGE_INPUT_PATTERN = '[0-9]+';

export const INPUT_PATTERNS = [
  PHONE_INPUT_PATTERN,
  NEGATIVE_DECIMAL_INPUT_PATTERN,
  DECIMAL_INPUT_PATTERN,
  ONE_DECIMAL_INPUT_PATTERN,
  WHOLE_NUMBER_INPUT_PATTERN,
  GAUGE_INPUT_PATTERN,
];
