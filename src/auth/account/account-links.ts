import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

interface LinkRow {
  id: number;
  /** What the link is for (`password_reset`, `invitation`, …): a token of one kind never fits another. */
  purpose: string;
  nonce: string;
}

/**
 * The token of a mailed link: `<row id>.<HMAC-SHA256 of the row's id, purpose and nonce>`
 * under the app's secret. Only the nonce is stored, so neither the table nor the outbox can
 * be turned into a working link without the secret; a token of one row never fits another.
 */
export class AccountLinks {
  constructor(private readonly secret: string) {}

  static newNonce(): string {
    return randomBytes(32).toString('hex');
  }

  tokenFor(row: LinkRow): string {
    return `${row.id}.${this.mac(row).toString('base64url')}`;
  }

  /** The row a token names (still to be checked with `fits`), or undefined for no token at all. */
  static idOf(token: unknown): number | undefined {
    if (typeof token !== 'string') return undefined;
    const match = /^([1-9][0-9]{0,9})\.[A-Za-z0-9_-]{43}$/.exec(token);
    return match ? Number(match[1]) : undefined;
  }

  fits(row: LinkRow, token: string): boolean {
    const given = Buffer.from(token.slice(token.indexOf('.') + 1), 'base64url');
    const expected = this.mac(row);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(row: LinkRow): Buffer {
    return createHmac('sha256', this.secret)
      .update(`boxoffice account link:${row.id}:${row.purpose}:${row.nonce}`)
      .digest();
  }
}
