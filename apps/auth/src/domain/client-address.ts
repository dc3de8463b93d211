import { isIPv6 } from 'node:net';

/** Expands an IPv6 address (`2001:db8::1`) to its eight hextets. */
function hextets(ip: string): string[] {
  const [head = '', tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((h) => h.toLowerCase().replace(/^0+(?=.)/, ''));
}

/**
 * The subject a per-client limit counts against. IPv4 addresses count individually; an IPv6 client usually holds a
 * whole /64 (RFC 6177), so counting single addresses would let it rotate through 2^64 of them: count the /64.
 * IPv4-mapped IPv6 (`::ffff:192.0.2.1`) counts as the IPv4 address.
 */
export function rateLimitSubject(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1] as string;
  if (!isIPv6(ip)) return ip;
  return `${hextets(ip.split('%')[0] ?? ip)
    .slice(0, 4)
    .join(':')}::/64`;
}
