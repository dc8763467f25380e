// eslint-disable-next-line no-control-regex
const UNSAFE_IN_A_LOG_LINE = /[\x00-\x1F\x7F\x85\u2028\u2029]/g;

/**
 * Text from outside (what a visitor typed, a path they asked for) made safe for a log line:
 * control characters, which could start a fake line or colour the terminal, are written as
 * `\uXXXX` escapes.
 */
export const loggable = (text: string): string =>
  text.replace(
    UNSAFE_IN_A_LOG_LINE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
