/**
 * Ids (sessions, API tokens, users) known to be revoked, each remembered until a deadline.
 * Bounded: past `maxSize` the oldest entry goes first (Map keeps insertion order); a forgotten
 * session is still refused by the liveness check, a forgotten token by the auth service.
 */
export class RevokedIds {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly rememberMs: number,
    private readonly maxSize = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  add(id: string): void {
    this.until.delete(id);
    this.until.set(id, this.now() + this.rememberMs);
    if (this.until.size > this.maxSize) {
      const oldest = this.until.keys().next();
      if (!oldest.done) this.until.delete(oldest.value);
    }
  }

  has(id: string): boolean {
    const deadline = this.until.get(id);
    if (deadline === undefined) return false;
    if (deadline > this.now()) return true;
    this.until.delete(id);
    return false;
  }

  get size(): number {
    return this.until.size;
  }
}
