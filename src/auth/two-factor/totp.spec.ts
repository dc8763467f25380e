import { Secret, TOTP } from 'otpauth';
import { newTotpSecret, stepOfCode, totpUri } from './totp';

describe('TOTP', () => {
  const secret = newTotpSecret();
  const codeAt = (timestamp: number) =>
    TOTP.generate({ secret: Secret.fromBase32(secret), timestamp });
  const now = Date.UTC(2026, 11, 7, 12, 0, 10);
  const step = Math.floor(now / 30_000);

  it('makes 160-bit secrets and an otpauth URI with the site and account', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(totpUri(secret, 'ada@example.com', 'Box Office')).toBe(
      `otpauth://totp/Box%20Office:ada%40example.com?issuer=Box%20Office&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
  });

  it('accepts the code of now and of one step either side, naming its step', () => {
    expect(stepOfCode(secret, codeAt(now), now)).toBe(step);
    expect(stepOfCode(secret, codeAt(now - 30_000), now)).toBe(step - 1);
    expect(stepOfCode(secret, codeAt(now + 30_000), now)).toBe(step + 1);
    expect(stepOfCode(secret, ` ${codeAt(now).slice(0, 3)} ${codeAt(now).slice(3)} `, now)).toBe(
      step,
    );
  });

  it('refuses codes two steps away, of another secret, and what is not six digits', () => {
    expect(stepOfCode(secret, codeAt(now - 60_000), now)).toBeUndefined();
    expect(stepOfCode(secret, codeAt(now + 60_000), now)).toBeUndefined();
    const other = TOTP.generate({ secret: Secret.fromBase32(newTotpSecret()), timestamp: now });
    if (other !== codeAt(now)) expect(stepOfCode(secret, other, now)).toBeUndefined();
    for (const bad of ['', '12345', '1234567', 'abcdef', '12345x'])
      expect(stepOfCode(secret, bad, now)).toBeUndefined();
  });
});
