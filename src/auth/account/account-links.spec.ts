import { AccountLinks } from './account-links';

describe('AccountLinks', () => {
  const links = new AccountLinks('a secret');
  const row = { id: 7, purpose: 'password_reset' as const, nonce: AccountLinks.newNonce() };

  it('makes a token that fits its own row only', () => {
    const token = links.tokenFor(row);
    expect(token).toMatch(/^7\.[A-Za-z0-9_-]{43}$/);
    expect(links.fits(row, token)).toBe(true);
    expect(links.fits({ ...row, nonce: AccountLinks.newNonce() }, token)).toBe(false);
    expect(links.fits({ ...row, purpose: 'email_change' }, token)).toBe(false);
    expect(links.fits({ ...row, id: 8 }, token.replace(/^7/, '8'))).toBe(false);
  });

  it('needs the secret: another secret makes another token', () => {
    expect(new AccountLinks('another secret').fits(row, links.tokenFor(row))).toBe(false);
  });

  it.each([undefined, 7, '', '7', '7.abc', '0.' + 'a'.repeat(43), '7.' + 'a'.repeat(44), ['7']])(
    'reads no row from %p',
    (token) => expect(AccountLinks.idOf(token)).toBeUndefined(),
  );

  it('reads the row id of a well-formed token', () => {
    expect(AccountLinks.idOf(links.tokenFor(row))).toBe(7);
  });
});
