/**
 * Where to go after login: only a path on this site. Refuses absolute and
 * protocol-relative URLs (`//evil.example`, `/\evil.example`) and anything with
 * control characters, so `next` cannot become an open redirect.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\x00-\x1F\x7F]/;

export function safeNextPath(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 2000) return undefined;
  const onThisSite = next.startsWith('/') && !next.startsWith('//') && !next.includes('\\');
  return onThisSite && !CONTROL_CHARACTERS.test(next) ? next : undefined;
}
