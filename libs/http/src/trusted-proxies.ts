import { BlockList, isIP } from 'node:net';

/** Names usable in TRUSTED_PROXIES besides addresses and CIDR ranges. */
const NAMED_RANGES: Record<string, ReadonlyArray<[string, number, 'ipv4' | 'ipv6']>> = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
};

/** The gateway's own address on one machine: the default TRUSTED_PROXIES. */
export const DEFAULT_TRUSTED_PROXIES: readonly string[] = ['loopback'];

/** `::ffff:192.0.2.1` is the IPv4 client 192.0.2.1 (a dual-stack socket reports IPv4 peers so). */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? (mapped[1] as string) : address;
}

export type ProxyMatcher = (address: string) => boolean;

/**
 * Which peers' X-Forwarded-* headers are believed: a list of addresses, CIDR ranges (`10.0.0.0/8`, `fd00::/8`) and
 * the name `loopback`. Throws on an entry it cannot read, so a typo cannot silently trust nobody (or everybody).
 */
export function trustedProxyMatcher(entries: readonly string[]): ProxyMatcher {
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    const named = NAMED_RANGES[entry.toLowerCase()];
    if (named) {
      for (const [net, prefix, family] of named) list.addSubnet(net, prefix, family);
      continue;
    }
    const [address = '', prefixText] = entry.split('/');
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!family || !/^\d{1,3}$/.test(prefixText ?? String(max)) || prefix > max)
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an address, a CIDR range or "loopback"`);
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return (address) => {
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * The client of a request: walking from the peer that connected leftwards through X-Forwarded-For, the first hop
 * that is not a trusted proxy. Entries left of it were written by the client and are ignored; so is the whole
 * header when the peer itself is not trusted. An unreadable entry stops the walk at the trusted hop that sent it.
 */
export function resolveClientAddress(peer: string, forwardedFor: string | undefined, isTrusted: ProxyMatcher): string {
  let client = unmapped(peer);
  if (!forwardedFor || !isTrusted(client)) return client;
  const hops = forwardedFor.split(',').map((hop) => hop.trim());
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = unmapped(hops[i] ?? '');
    if (!isIP(hop)) return client;
    client = hop;
    if (!isTrusted(hop)) return client;
  }
  return client;
}
