/** Money is integer cents everywhere; forms and pages use decimals like "12.50". */
export const MAX_PRICE_CENTS = 100_000_00;

const DECIMAL_PRICE = /^\d{1,6}(\.\d{1,2})?$/;

/** "12.5" → 1250; undefined when the text is not a price from 0.00 to 100000.00. */
export function parsePriceToCents(text: string): number | undefined {
  if (!DECIMAL_PRICE.test(text)) return undefined;
  const [whole, fraction = ''] = text.split('.');
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return cents <= MAX_PRICE_CENTS ? cents : undefined;
}

const formats = new Map<string, Intl.NumberFormat>();

/** An amount with its currency, as people read it: 1800 in EUR → "€18.00" (minor units of 1/100). */
export function formatMoney(cents: number, currency: string): string {
  let format = formats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
    formats.set(currency, format);
  }
  return format.format(cents / 100);
}

/** The ISO 4217 codes this Node.js knows (and so can show). */
export const isKnownCurrency = (code: unknown): boolean =>
  typeof code === 'string' && Intl.supportedValuesOf('currency').includes(code);

/** A decimal without a currency ("12.50"): for form fields and CSV cells. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
