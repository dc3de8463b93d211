/** IPv4 subnets and the host addresses handed to sandboxes: pure arithmetic, no I/O. */

export interface Subnet {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

export function parseSubnet(cidr: string): Subnet {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!match) throw new Error(`not an IPv4 subnet in CIDR form: ${cidr}`);
  const prefix = Number(match[5]);
  if (prefix < 8 || prefix > 29) throw new Error(`subnet prefix must be between /8 and /29: ${cidr}`);
  const address = addressToNumber(match.slice(1, 5).join('.'));
  const mask = prefixMask(prefix);
  if ((address & mask) >>> 0 !== address) throw new Error(`subnet has host bits set: ${cidr}`);
  return { base: address, prefix };
}

export function addressToNumber(address: string): number {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) {
    throw new Error(`not an IPv4 address: ${address}`);
  }
  return parts.reduce((value, part) => value * 256 + part, 0);
}

export function numberToAddress(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function subnetContains(subnet: Subnet, address: string): boolean {
  return (addressToNumber(address) & prefixMask(subnet.prefix)) >>> 0 === subnet.base;
}

/** The host's side of the bridge: the subnet's first address (.0.1 in a /16). */
export function gatewayAddress(subnet: Subnet): string {
  return numberToAddress(subnet.base + 1);
}

/**
 * The lowest free address after the gateway, skipping the broadcast address. `used` holds the addresses other
 * sandboxes already own (persisted in their state), so a sandbox keeps its address and two never share one.
 */
export function allocateAddress(subnet: Subnet, used: Iterable<string>): string {
  const taken = new Set<number>();
  for (const address of used) taken.add(addressToNumber(address));
  const size = 2 ** (32 - subnet.prefix);
  for (let offset = 2; offset < size - 1; offset++) {
    const candidate = subnet.base + offset;
    if (!taken.has(candidate)) return numberToAddress(candidate);
  }
  throw new Error(`no free address left in ${numberToAddress(subnet.base)}/${subnet.prefix}`);
}
