import { loggable } from './loggable';

describe('loggable', () => {
  it('writes line breaks, escape sequences and line separators as \\u escapes', () => {
    expect(loggable('a\r\nFAKE LOG LINE\u001b[31m\u2028b')).toBe(
      'a\\u000d\\u000aFAKE LOG LINE\\u001b[31m\\u2028b',
    );
  });

  it('leaves ordinary text, accents and emoji as they are', () => {
    expect(loggable('Zoë 🎟️ ada@example.com /event/12')).toBe('Zoë 🎟️ ada@example.com /event/12');
  });
});
