import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a reference read out over the phone is unambiguous. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const REFERENCE_LENGTH = 10;

/** Short and human-readable (50 random bits); the secret is what makes a booking unguessable. */
export function newBookingReference(): string {
  return Array.from({ length: REFERENCE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(
    '',
  );
}

export function newBookingSecret(): string {
  return randomBytes(18).toString('base64url');
}

export function secretsMatch(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
