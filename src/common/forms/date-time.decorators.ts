import { Transform } from 'class-transformer';

const DATE_TIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** False for dates the Date parser would silently roll over, such as 30 February (→ 2 March) or 24:00. */
function isCalendarDateTime(text: string): boolean {
  const [year, month, day, hour, minute, second = 0] = text.split(/[-T:]/).map(Number);
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    utc.getUTCFullYear() === year &&
    utc.getUTCMonth() === month - 1 &&
    utc.getUTCDate() === day &&
    utc.getUTCHours() === hour &&
    utc.getUTCMinutes() === minute &&
    utc.getUTCSeconds() === second
  );
}

/**
 * `YYYY-MM-DDTHH:mm` as a datetime-local input sends it, in the server's time zone, → a Date;
 * anything else stays as posted, for @IsDate to refuse with the field's message. With
 * `optional`, an empty field means none (null).
 */
export const PostedDateTime = (options: { optional?: boolean } = {}) =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return options.optional && value === undefined ? null : value;
    const text = value.trim();
    if (options.optional && text === '') return null;
    if (!DATE_TIME_LOCAL.test(text)) return value;
    const date = new Date(text);
    return Number.isNaN(date.getTime()) || !isCalendarDateTime(text) ? value : date;
  });
