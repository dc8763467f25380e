import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app reads it (PRODUCT.md): SHA-1, 6 digits, 30 s. */
const PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;

/** A new secret of 160 bits (RFC 4226's recommendation), base32 as apps take it typed in. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The `otpauth://` URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, account: string, issuer: string): string {
  return new TOTP({
    ...PARAMETERS,
    issuer,
    label: account,
    secret: Secret.fromBase32(secret),
  }).toString();
}

/**
 * The time step a code belongs to when it is valid now (one step either side, for a phone's
 * clock a little off), or undefined. The caller accepts each step once.
 */
export function stepOfCode(secret: string, code: string, now = Date.now()): number | undefined {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const delta = TOTP.validate({
    ...PARAMETERS,
    token,
    secret: Secret.fromBase32(secret),
    timestamp: now,
    window: 1,
  });
  return delta === null
    ? undefined
    : TOTP.counter({ period: PARAMETERS.period, timestamp: now }) + delta;
}
