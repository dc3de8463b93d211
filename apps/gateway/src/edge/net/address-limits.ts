/**
 * Per-client-address connection accounting (issue 14 item 2): one address must not take every connection.
 *
 * - `maxPerAddress` open connections per address;
 * - `maxPendingPerAddress` of them still in the detection / TLS handshake / first-head phase once `pendingGraceMs`
 *   have passed: beyond that, the address's oldest pending connections are closed. A slowloris flood of half-open
 *   connections is cut at this, not at the global cap, while a burst of new connections from one address (a load
 *   test, a NAT in front of many browsers: all accepted before any has been read) is not refused for being new;
 * - a reserve: once fewer than `reserve` connections are left under the global cap, only addresses holding fewer
 *   than RESERVE_SHARE connections get one, so a flood from a few addresses cannot starve the others.
 */
export const RESERVE_SHARE = 4;

export interface AddressLimitSettings {
  maxConnections: number;
  reserve: number;
  maxPerAddress: number;
  maxPendingPerAddress: number;
  /** How long a connection may stay pending before it counts against `maxPendingPerAddress`. */
  pendingGraceMs: number;
}

/** One address's counts; `pending` holds its connections not past their first head, oldest first. */
class AddressEntry {
  open = 0;
  readonly pending = new Set<AddressSlot>();
  sweep: ReturnType<typeof setTimeout> | undefined;
  constructor(readonly address: string) {}
}

/** What a connection holds: settle() when its first request head (or SSH/TLS passthrough) is through. */
export class AddressSlot {
  private isPending = true;
  constructor(
    private readonly limits: AddressLimits,
    private readonly entry: AddressEntry,
    /** When the connection was accepted (performance.now()). */
    readonly since: number,
    /** Closes the connection: called when it has stayed pending past the grace with too many others. */
    readonly evict: () => void,
  ) {}

  get pending(): boolean {
    return this.isPending;
  }

  settle(): void {
    if (!this.isPending) return;
    this.isPending = false;
    this.entry.pending.delete(this);
  }

  release(): void {
    this.settle();
    this.limits.release(this.entry);
  }

  /**
   * `ip` (this connection's address), as the string the address's first open connection brought when they are equal
   * (an IPv4 address is its own key): the access log compares each line's client with the last one's, and
   * different string objects are compared character by character.
   */
  sharedIp(ip: string): string {
    return ip === this.entry.address ? this.entry.address : ip;
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

  /** A slot for a new connection from `ip` (`evict` closes it), or undefined when it must be refused. */
  acquire(ip: string, evict: () => void): AddressSlot | undefined {
    const s = this.settings;
    const address = clientKey(ip);
    if (this.total >= s.maxConnections) return undefined;
    let entry = this.entries.get(address);
    if (entry !== undefined) {
      if (entry.open >= s.maxPerAddress) return undefined;
      if (this.total >= s.maxConnections - s.reserve && entry.open >= RESERVE_SHARE) return undefined;
    } else {
      entry = new AddressEntry(address);
      this.entries.set(address, entry);
    }
    const slot = new AddressSlot(this, entry, performance.now(), evict);
    entry.open++;
    entry.pending.add(slot);
    this.total++;
    if (entry.pending.size > s.maxPendingPerAddress && entry.sweep === undefined) this.scheduleSweep(entry);
    return slot;
  }

  release(entry: AddressEntry): void {
    entry.open--;
    this.total--;
    if (entry.open === 0) {
      clearTimeout(entry.sweep);
      this.entries.delete(entry.address);
    }
  }

  /** Closes the address's oldest pending connections past the grace until at most the cap are pending. */
  private sweep(entry: AddressEntry): void {
    entry.sweep = undefined;
    const now = performance.now();
    while (entry.pending.size > this.settings.maxPendingPerAddress) {
      const oldest = entry.pending.values().next().value as AddressSlot;
      if (now - oldest.since < this.settings.pendingGraceMs) return this.scheduleSweep(entry);
      oldest.settle();
      oldest.evict();
    }
  }

  private scheduleSweep(entry: AddressEntry): void {
    const oldest = entry.pending.values().next().value as AddressSlot;
    const wait = Math.max(0, oldest.since + this.settings.pendingGraceMs - performance.now());
    entry.sweep = setTimeout(() => this.sweep(entry), wait + 1);
    entry.sweep.unref();
  }
}
