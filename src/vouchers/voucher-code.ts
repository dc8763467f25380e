import { randomInt } from 'node:crypto';

/** What a typed code may be, once upper-cased (PRODUCT.md: 4–32 of A–Z, 0–9 and "-"). */
export const VOUCHER_CODE = /^[A-Z0-9-]{4,32}$/;

/** A code as stored: trimmed and upper case, so that codes are case-insensitive. */
export const normalizeVoucherCode = (code: string): string => code.trim().toUpperCase();

/** No 0/O or 1/I, which people misread when they type a code from paper. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const GENERATED_LENGTH = 12;

/** A random code: 12 characters of 32, 60 bits from the system's secure random source. */
export function generateVoucherCode(): string {
  return Array.from({ length: GENERATED_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(
    '',
  );
}
