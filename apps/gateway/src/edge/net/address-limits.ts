/**
 * Per-client-address connection accounting (issue 14 item 2): one address must not take every connection.
 *
 * - `maxPerAddress` open connections per address;
 * - `maxPendingPerAddress` of them still in the detection / TLS handshake / first-head phase (a slowloris flood
 *   of half-open connections is cut at this, not at the global cap);
 * - a reserve: once fewer than `reserve` connections are left under the global cap, only addresses holding fewer
 *   than RESERVE_SHARE connections get one, so a flood from a few addresses cannot starve the others.
 */
export const RESERVE_SHARE = 4;

export interface AddressLimitSettings {
  maxConnections: number;
  reserve: number;
  maxPerAddress: number;
  maxPendingPerAddress: number;
}

/** One address's counts; also the handle a connection keeps to leave the pending phase and to close. */
class AddressEntry {
  open = 0;
  pending = 0;
  constructor(readonly address: string) {}
}

/** What a connection holds: settle() when its first request head (or SSH/TLS passthrough) is through. */
export class AddressSlot {
  private pending = true;
  constructor(
    private readonly limits: AddressLimits,
    private readonly entry: AddressEntry,
  ) {}

  settle(): void {
    if (!this.pending) return;
    this.pending = false;
    this.entry.pending--;
  }

  release(): void {
    this.settle();
    this.limits.release(this.entry);
  }
}

/**
 * What counts as one client: an IPv4 address, or an IPv6 /64 (one subscriber's network: a client rotating
 * through its own /64 is still one client).
 */
export function clientKey(ip: string): string {
  if (ip.indexOf(':') === -1) return ip;
  const gap = ip.indexOf('::');
  let groups: string[];
  if (gap === -1) groups = ip.split(':');
  else {
    const head = gap === 0 ? [] : ip.slice(0, gap).split(':');
    const tail = gap + 2 === ip.length ? [] : ip.slice(gap + 2).split(':');
    groups = [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail];
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export class AddressLimits {
  private readonly entries = new Map<string, AddressEntry>();
  total = 0;

  constructor(private readonly settings: AddressLimitSettings) {}

  /** A slot for a new connection from `ip`, or undefined when it must be refused. */
  acquire(ip: string): AddressSlot | undefined {
    const s = this.settings;
    const address = clientKey(ip);
    if (this.total >= s.maxConnections) return undefined;
    let entry = this.entries.get(address);
    if (entry !== undefined) {
      if (entry.open >= s.maxPerAddress || entry.pending >= s.maxPendingPerAddress) return undefined;
      if (this.total >= s.maxConnections - s.reserve && entry.open >= RESERVE_SHARE) return undefined;
    } else {
      entry = new AddressEntry(address);
      this.entries.set(address, entry);
    }
    entry.open++;
    entry.pending++;
    this.total++;
    return new AddressSlot(this, entry);
  }

  release(entry: AddressEntry): void {
    entry.open--;
    this.total--;
    if (entry.open === 0) this.entries.delete(entry.address);
  }
}
