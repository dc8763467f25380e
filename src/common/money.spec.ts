import { formatCents, formatMoney, isKnownCurrency, parsePriceToCents } from './money';

describe('money', () => {
  it.each([
    ['0', 0],
    ['0.00', 0],
    ['12.5', 1250],
    ['12.50', 1250],
    ['7', 700],
    ['100000.00', 10_000_000],
  ])('reads the price "%s" as %d cents', (text, cents) => {
    expect(parsePriceToCents(text)).toBe(cents);
  });

  it.each(['', '-1', '1.234', '100000.01', '1e3', ' 5', 'abc', '12,50', '.5', '1000000'])(
    'refuses "%s" as a price',
    (text) => {
      expect(parsePriceToCents(text)).toBeUndefined();
    },
  );

  it('shows cents as a decimal with two places', () => {
    expect(formatCents(0)).toBe('0.00');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(1250)).toBe('12.50');
    expect(formatCents(10_000_000)).toBe('100000.00');
  });

  it.each([
    [1800, 'EUR', '€18.00'],
    [1250, 'GBP', '£12.50'],
    [0, 'USD', 'US$0.00'],
    [125_000, 'JPY', 'JP¥1,250'],
    [10_000_000, 'CHF', 'CHF\u00a0100,000.00'],
  ])('shows %d cents in %s as %s', (cents, currency, shown) => {
    expect(formatMoney(cents, currency)).toBe(shown);
  });

  it('knows the ISO 4217 codes, and nothing else', () => {
    expect(['EUR', 'GBP', 'USD', 'JPY'].every(isKnownCurrency)).toBe(true);
    expect(['eur', 'EURO', 'XXXX', '', 42, undefined].some(isKnownCurrency)).toBe(false);
  });
});
