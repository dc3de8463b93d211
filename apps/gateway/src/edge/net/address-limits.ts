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

export class AddressLimits {
  private readonly entries = new Map<string, AddressEntry>();
  total = 0;

  constructor(private readonly settings: AddressLimitSettings) {}

  /** A slot for a new connection from `address`, or undefined when it must be refused. */
  acquire(address: string): AddressSlot | undefined {
    const s = this.settings;
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
