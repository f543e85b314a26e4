import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

// scrypt with N=2^15, r=8: ~32 MiB and tens of milliseconds per hash, costly for an offline attacker.
const PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/**
 * "scrypt$N$r$p$salt$hash", both base64url: the parameters travel with the hash so they can be raised later.
 * Every account the unit creates gets the default cost; only test fixtures pass a cheaper one, so that a
 * suite signing in hundreds of times does not spend minutes in scrypt.
 */
export async function hashPassword(password: string, params: ScryptParams = PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of a random password, compared against when a username does not exist so timing tells nothing. */
export const DECOY_HASH = hashPassword(randomBytes(16).toString('hex'));

// No 0/O, 1/l/I: read off a screen and typed on a tablet without a second look.
const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A one-time password: four groups of four from a 31-letter alphabet (about 79 bits), crypto-random, unbiased. */
export function oneTimePassword(): string {
  const chars: string[] = [];
  while (chars.length < 16) {
    for (const byte of randomBytes(32)) {
      // 248 = 8 × 31: bytes above it would favour the first letters.
      if (byte < 248 && chars.length < 16) chars.push(READABLE[byte % READABLE.length]!);
    }
  }
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}
