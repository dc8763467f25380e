import { Transform } from 'class-transformer';
import { Matches, ValidationOptions } from 'class-validator';

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

/** One line: no line breaks, tabs, other control characters, nor Unicode line or paragraph separators. */
// eslint-disable-next-line no-control-regex
export const SINGLE_LINE = /^[^\x00-\x1F\x7F\x85\u2028\u2029]*$/;

/**
 * A name (of an attendee, an account, a ticket's holder): one line. Refuses line breaks, tabs,
 * every other control character and the Unicode line and paragraph separators, which would
 * otherwise let a name write lines of its own into a mail or a log.
 */
export const SingleLine = (options: ValidationOptions = {}) =>
  Matches(SINGLE_LINE, {
    message: 'Must be one line, without tabs or control characters',
    ...options,
  });

/**
 * A plain address, `local@domain`: no quoted local part, no spaces, no control characters
 * or angle brackets (class-validator's IsEmail takes `"a\r\nB"@example.com`).
 */
export const PlainEmail = (message: string) =>
  // eslint-disable-next-line no-control-regex
  Matches(/^[^\s"<>()[\]\\,;:@\x00-\x1F\x7F]+@[^\s"<>()[\]\\,;:@\x00-\x1F\x7F]+$/, { message });
