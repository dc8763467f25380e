/**
 * Where to go after login: only a path on this site. Refuses absolute and
 * protocol-relative URLs (`//evil.example`, `/\evil.example`) and anything with
 * control characters, so `next` cannot become an open redirect.
 */
export function safeNextPath(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 2000) return undefined;
  // eslint-disable-next-line no-control-regex
  if (
    !next.startsWith('/') ||
    next.startsWith('//') ||
    next.includes('\\') ||
    /[\x00-\x1F\x7F]/.test(next)
  ) {
    return undefined;
  }
  return next;
}
