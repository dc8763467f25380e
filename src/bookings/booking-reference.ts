import { randomBytes, timingSafeEqual } from 'node:crypto';
import { randomCode } from '../common/random-code';

/** Short and human-readable (50 random bits); the secret is what makes a booking unguessable. */
export const newBookingReference = () => randomCode(10);

export function newBookingSecret(): string {
  return randomBytes(18).toString('base64url');
}

export function secretsMatch(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
