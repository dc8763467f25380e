import { Transform } from 'class-transformer';

/** "42" → 42; anything that is not plain digits stays as posted, for @IsInt to refuse with the field's message. */
export const PostedInteger = () =>
  Transform(({ value }: { value: unknown }) => {
    const text = typeof value === 'string' ? value.trim() : value;
    return typeof text === 'string' && /^\d{1,9}$/.test(text) ? Number(text) : text;
  });
