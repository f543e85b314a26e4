import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../server/auth/passwords';

describe('password hashes', () => {
  it('are scrypt at N=2^15, r=8 unless told otherwise, salted, and check the password they were made from', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored.split('$').slice(0, 4)).toEqual(['scrypt', '32768', '8', '1']);
    expect(await hashPassword('correct horse battery')).not.toBe(stored);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterie', stored)).toBe(false);
  });

  it('carry their own cost, so a hash made at another cost is checked at that cost', async () => {
    const cheap = await hashPassword('écho', { N: 2 ** 5, r: 8, p: 1 });
    expect(cheap.split('$').slice(0, 4)).toEqual(['scrypt', '32', '8', '1']);
    expect(await verifyPassword('écho', cheap)).toBe(true);
    // The same letters typed with a combining accent are the same password (NFC).
    expect(await verifyPassword('e\u0301cho', cheap)).toBe(true);
    expect(await verifyPassword('echo', cheap)).toBe(false);
  });

  it('refuse a stored value that is not one of theirs', async () => {
    expect(await verifyPassword('x', 'bcrypt$10$abc')).toBe(false);
    expect(await verifyPassword('x', '')).toBe(false);
  });
});
