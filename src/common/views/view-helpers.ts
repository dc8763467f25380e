import type { HelperDelegate, HelperOptions } from 'handlebars';
import { formatMoney } from '../money';

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** "Mon, 7 Dec 2026, 10:00", in the server's time zone: how pages and messages show a moment. */
export const formatDateTime = (date: Date): string => dateTimeFormat.format(date);

const pad = (n: number) => String(n).padStart(2, '0');

/** The value a `datetime-local` input expects, in the server's time zone. */
export function toDateTimeLocal(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const currencyOf = (options: HelperOptions): string =>
  (options.data as { root?: { site?: { currency?: string } } } | undefined)?.root?.site?.currency ??
  'EUR';

const helpers: Record<string, HelperDelegate> = {
  /** `{{money cents}}` in the site's currency (`site.currency` of the page, EUR without one). */
  money: (cents: unknown, options: HelperOptions) =>
    typeof cents === 'number' ? formatMoney(cents, currencyOf(options)) : '',
  dateTime: (date: unknown) => (date instanceof Date ? formatDateTime(date) : ''),
  isoDate: (date: unknown) => (date instanceof Date ? date.toISOString() : ''),
  eq: (a: unknown, b: unknown) => a === b,
  gt: (a: unknown, b: unknown) => typeof a === 'number' && typeof b === 'number' && a > b,
  or: (...values: unknown[]) => values.slice(0, -1).some(Boolean),
  concat: (...parts: unknown[]) => parts.slice(0, -1).join(''),
  percent: (part: number, whole: number) =>
    whole > 0 ? Math.min(100, Math.round((part / whole) * 100)) : 0,
};

export function registerViewHelpers(handlebars: typeof import('handlebars')): void {
  for (const [name, helper] of Object.entries(helpers)) handlebars.registerHelper(name, helper);
}
