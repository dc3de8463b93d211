/** Counts connections per client address that have not authenticated yet (a pre-auth flood guard, like sshd's MaxStartups). */
export class AddressLimiter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly maxPerAddress: number) {}

  /** Takes a slot for `address`; false when it already holds the maximum. */
  acquire(address: string): boolean {
    const current = this.counts.get(address) ?? 0;
    if (current >= this.maxPerAddress) return false;
    this.counts.set(address, current + 1);
    return true;
  }

  release(address: string): void {
    const current = this.counts.get(address) ?? 0;
    if (current <= 1) this.counts.delete(address);
    else this.counts.set(address, current - 1);
  }
}
