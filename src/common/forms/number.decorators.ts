import { Transform } from 'class-transformer';

/**
 * "42" → 42; anything that is not plain decimal digits ("-1", "1e3", "0x10", "4.0", "abc") stays
 * as posted, for @IsInt to refuse with the field's message. Up to 15 digits, so every number it
 * gives is exact and a @Max can refuse it. `whenEmpty`: what a field left empty means.
 */
export const PostedInteger = (options: { whenEmpty?: number } = {}) =>
  Transform(({ value }: { value: unknown }) => {
    const text = typeof value === 'string' ? value.trim() : value;
    if (text === '' && options.whenEmpty !== undefined) return options.whenEmpty;
    return typeof text === 'string' && /^\d{1,15}$/.test(text) ? Number(text) : text;
  });
