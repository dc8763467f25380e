import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';

/** Trims a posted string and folds the CRLF browsers send for textareas into LF; leaves non-strings for the validators to refuse. */
export const NormalizedText = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : value,
  );

/** Refuses NUL and every other control character except newline and tab. */
export const NoControlCharacters = () =>
  // eslint-disable-next-line no-control-regex
  Matches(/^[^\x00-\x08\x0B-\x1F\x7F]*$/, {
    message: 'Contains characters that are not allowed (control characters)',
  });
