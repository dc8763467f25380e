import { randomInt } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a code read out over the phone is unambiguous. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `length` characters of Crockford's base32 from the system's secure random source (5 bits each). */
export function randomCode(length: number): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}
