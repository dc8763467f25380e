import { ValidateBy } from 'class-validator';

/**
 * `bestAvailable[<ticketTypeId>]=N` as posted, as requests for N seats together: blank and 0 ask
 * for none. Anything else that is not a whole number stays, for the validator to refuse.
 */
export function postedBestAvailable(posted: unknown): unknown {
  if (posted === undefined) return [];
  if (posted === null || typeof posted !== 'object' || Array.isArray(posted)) return posted;
  return Object.entries(posted as Record<string, unknown>)
    .filter(([, quantity]) => !(typeof quantity === 'string' && /^\s*0*\s*$/.test(quantity)))
    .map(([id, quantity]) =>
      /^[1-9]\d{0,9}$/.test(id) && typeof quantity === 'string' && /^\s*\d{1,3}\s*$/.test(quantity)
        ? { ticketTypeId: Number(id), quantity: Number(quantity) }
        : { invalid: true },
    );
}

/** Requests of 1 to 100 seats of a ticket type. */
export const IsBestAvailable = () =>
  ValidateBy({
    name: 'isBestAvailable',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) &&
        value.every(
          (request: { ticketTypeId?: unknown; quantity?: unknown }) =>
            typeof request.quantity === 'number' &&
            request.quantity >= 1 &&
            request.quantity <= 100,
        ),
      defaultMessage: () => 'Ask for 1 to 100 seats together',
    },
  });
