import { ValidateBy } from 'class-validator';
import { parsePriceToCents } from '../money';

/** A decimal price from 0.00 to 100000.00, as typed in a form ("12.50"). */
export const IsPrice = (message: string) =>
  ValidateBy({
    name: 'isPrice',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && parsePriceToCents(value) !== undefined,
      defaultMessage: () => message,
    },
  });
