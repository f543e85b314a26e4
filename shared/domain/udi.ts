// GS1 UDI as a hand-held scanner types it: human-readable "(01)…(17)…(10)…" or raw, where the
// variable-length fields end at a GS (FNC1) or at the end, with an optional symbology prefix
// ("]d2" DataMatrix, "]C1" GS1-128, "]Q3" QR). Pure: the same text always reads the same way, so
// the server, the form preview and a re-read log agree.

export const GS = '\u001d';

/** The application identifiers a single-use device label carries; anything else is unreadable on purpose. */
const FIXED_LENGTH: Readonly<Record<string, number>> = { '01': 14, '11': 6, '17': 6 };
const VARIABLE_MAX: Readonly<Record<string, number>> = { '10': 20, '21': 20 };

export interface UdiFields {
  gtin?: string;
  lot?: string;
  serial?: string;
  /** YYYY-MM-DD; a label's day 00 is the last day of its month. */
  expiry?: string;
  productionDate?: string;
}

export type UdiError = 'device_udi_unreadable' | 'device_gtin_check_digit';
export type UdiResult = { ok: true; fields: UdiFields } | { ok: false; error: UdiError };

const SYMBOLOGY_PREFIX = /^\][A-Za-z][0-9]/;

/** The GS1 mod-10 check digit of the digits before it (GTIN-8/12/13/14 alike). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const weight = (body.length - i) % 2 === 1 ? 3 : 1;
    sum += Number(body[i]) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** A GTIN of 8, 12, 13 or 14 digits as the 14 digits of application identifier (01), or null when it is not digits of such a length. */
export function normaliseGtin(gtin: string): string | null {
  const digits = gtin.trim();
  return /^(\d{8}|\d{12,14})$/.test(digits) ? digits.padStart(14, '0') : null;
}

export const gtinCheckDigitValid = (gtin14: string): boolean =>
  /^\d{14}$/.test(gtin14) && gs1CheckDigit(gtin14.slice(0, 13)) === Number(gtin14[13]);

const lastDayOfMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * YYMMDD as a date. Years are read in 2000–2099: the GS1 sliding century window only differs for
 * labels printed before 2000 or after 2049, which no device on a shelf today carries.
 */
export function gs1Date(yymmdd: string): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const year = 2000 + Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  const rawDay = Number(yymmdd.slice(4, 6));
  if (month < 1 || month > 12) return null;
  const last = lastDayOfMonth(year, month);
  const day = rawDay === 0 ? last : rawDay;
  if (day > last) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// Brackets around each application identifier; a GS the scanner adds between fields is tolerated. Values are read up to
// the next bracket, so every character must belong to some field.
function humanReadable(text: string): [string, string][] | null {
  const plain = text.replaceAll(GS, '');
  if (!/^(\(\d{2,4}\)[^(]*)+$/.test(plain)) return null;
  return [...plain.matchAll(/\((\d{2,4})\)([^(]*)/g)].map((m): [string, string] => [m[1]!, m[2]!.trim()]);
}

function raw(text: string): [string, string][] | null {
  const pairs: [string, string][] = [];
  let at = 0;
  while (at < text.length) {
    if (text[at] === GS) {
      at++;
      continue;
    }
    const ai = text.slice(at, at + 2);
    const fixed = FIXED_LENGTH[ai];
    if (fixed !== undefined) {
      const value = text.slice(at + 2, at + 2 + fixed);
      if (value.length !== fixed) return null;
      pairs.push([ai, value]);
      at += 2 + fixed;
      continue;
    }
    const max = VARIABLE_MAX[ai];
    if (max === undefined) return null;
    const end = text.indexOf(GS, at + 2);
    const value = text.slice(at + 2, end === -1 ? text.length : end);
    if (value.length === 0 || value.length > max) return null;
    pairs.push([ai, value]);
    at = end === -1 ? text.length : end + 1;
  }
  return pairs;
}

/** Reads a scanned UDI into its GTIN, lot, serial, expiry and production date. */
export function parseUdi(scanned: string): UdiResult {
  const text = scanned.trim().replace(SYMBOLOGY_PREFIX, '');
  const unreadable: UdiResult = { ok: false, error: 'device_udi_unreadable' };
  if (text.length === 0) return unreadable;
  const pairs = text.startsWith('(') ? humanReadable(text) : raw(text);
  if (!pairs || pairs.length === 0) return unreadable;
  const fields: UdiFields = {};
  const seen = new Set<string>();
  for (const [ai, value] of pairs) {
    if (seen.has(ai)) return unreadable;
    seen.add(ai);
    if (ai === '01') {
      if (!/^\d{14}$/.test(value)) return unreadable;
      fields.gtin = value;
    } else if (ai === '17' || ai === '11') {
      const date = gs1Date(value);
      if (!date) return unreadable;
      if (ai === '17') fields.expiry = date;
      else fields.productionDate = date;
    } else if (ai === '10' || ai === '21') {
      if (value.length === 0 || value.length > VARIABLE_MAX[ai]!) return unreadable;
      if (ai === '10') fields.lot = value;
      else fields.serial = value;
    } else return unreadable;
  }
  if (fields.gtin === undefined) return unreadable;
  if (!gtinCheckDigitValid(fields.gtin)) return { ok: false, error: 'device_gtin_check_digit' };
  return { ok: true, fields };
}
