import { ValidateBy } from 'class-validator';
import { postedList } from '../../common/forms/posted-list';
import { SINGLE_LINE } from '../../common/forms/text.decorators';

/** The names posted per ticket type: `ticketNames[<ticketTypeId>][]`, in order. */
export type TicketNames = Record<string, string[]>;

/**
 * `ticketNames[12][]=Ann&ticketNames[12][]=Bob` as the form parser leaves it (`{12: {0: [...]}}`,
 * or an object of numbered names past qs's array limit), as one list per ticket type: trimmed,
 * blanks left out (a form offers more fields than tickets). Anything not text stays, for the
 * validator to refuse.
 */
export function postedTicketNames(posted: unknown): unknown {
  if (posted === null || typeof posted !== 'object' || Array.isArray(posted)) return posted;
  return Object.fromEntries(
    Object.entries(posted as Record<string, unknown>).map(([id, names]) => [
      id,
      postedList(names)
        .map((name) => (typeof name === 'string' ? name.trim() : name))
        .filter((name) => name !== ''),
    ]),
  );
}

/** Keyed by ticket type id; each name one line of 1 to 100 characters. */
export const IsTicketNames = () =>
  ValidateBy({
    name: 'isTicketNames',
    validator: {
      validate: (value: unknown) =>
        value !== null &&
        typeof value === 'object' &&
        Object.entries(value as Record<string, unknown>).every(
          ([id, names]) =>
            /^[1-9]\d{0,9}$/.test(id) &&
            Array.isArray(names) &&
            names.every(
              (name) => typeof name === 'string' && name.length <= 100 && SINGLE_LINE.test(name),
            ),
        ),
      defaultMessage: () => 'Each name must be one line of at most 100 characters',
    },
  });
