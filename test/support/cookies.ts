/**
 * The Cookie header a browser would send next: `cookie` (as sent before) updated with the
 * answer's Set-Cookie headers, a cookie cleared by the server (expired) dropped.
 */
export function nextCookieHeader(
  cookie: string,
  setCookies: string | string[] | undefined,
): string {
  const jar = new Map(
    cookie
      .split(/;\s*/)
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair] as const),
  );
  for (const setCookie of ([] as string[]).concat(setCookies ?? [])) {
    const [pair, ...attributes] = setCookie.split(/;\s*/);
    const name = pair.slice(0, pair.indexOf('='));
    const expires = attributes.find((attribute) => /^expires=/i.test(attribute));
    const expired = expires !== undefined && Date.parse(expires.slice(8)) <= Date.now();
    if (expired) jar.delete(name);
    else jar.set(name, pair);
  }
  return [...jar.values()].join('; ');
}
