import { lookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where webhooks may go. Unless WEBHOOKS_ALLOW_PRIVATE=true, only HTTPS to public addresses:
 * an endpoint must not turn the server into a client of its own network (SSRF): loopback,
 * private, link-local (cloud metadata), carrier-grade NAT, unique-local, multicast, unspecified.
 * Checked when an endpoint is registered, and again at every connection (the address the name
 * resolves to then), so a name that later resolves inward is refused too.
 */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** Whether `address` (IPv4 or IPv6, IPv4-mapped included) is outside the public internet. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1]);
  const family = isIP(address);
  if (family === 0) return true;
  return NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why this URL cannot be an endpoint (its scheme, credentials, an address), or undefined. */
export async function targetProblem(
  url: string,
  allowPrivate: boolean,
): Promise<string | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Enter a full URL, like https://example.org/hooks/boxoffice';
  }
  if (parsed.protocol !== 'https:' && !(allowPrivate && parsed.protocol === 'http:'))
    return 'The URL must start with https://';
  if (parsed.username || parsed.password) return 'The URL must not hold a user name or password';
  if (allowPrivate) return undefined;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await resolveAll(host);
  if (!addresses) return `${host} cannot be found`;
  if (addresses.some(isPrivateAddress))
    return 'The URL must reach a public address, not a private or local one';
  return undefined;
}

function resolveAll(host: string): Promise<string[] | undefined> {
  return new Promise((resolve) =>
    lookup(host, { all: true }, (error, found: LookupAddress[]) =>
      resolve(error ? undefined : found.map((entry) => entry.address)),
    ),
  );
}

/** A DNS lookup for outgoing requests that refuses non-public answers (undefined: no check). */
export function publicOnlyLookup(allowPrivate: boolean): LookupFunction | undefined {
  if (allowPrivate) return undefined;
  return (hostname, options, callback) =>
    lookup(hostname, { ...options, all: true }, (error, found: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = found.find((entry) => isPrivateAddress(entry.address));
      if (refused) {
        const denied = Object.assign(
          new Error(`${hostname} resolves to ${refused.address}, not a public address`),
          {
            code: 'EPRIVATE',
          },
        );
        return callback(denied, '', 0);
      }
      if (options.all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, found);
      callback(null, found[0].address, found[0].family);
    });
}
