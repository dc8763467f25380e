import { formatCents, parsePriceToCents } from './money';

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
});
