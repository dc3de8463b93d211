/**
 * The gateway's response cache, as the reference gateway has it: GET 200 responses up to 1 MB, 30 s,
 * 500 MB in total, least recently used first out (by bytes). Keyed by host + path; requests with a
 * query, credentials or an Origin never reach it (see ClientConnection), nor do responses with
 * Set-Cookie, Cache-Control no-store/private/no-cache, unsupported Vary or a content coding.
 */
export interface CachedResponse {
  /** Header lines to send, already without hop-by-hop fields, Cache-Control and X-Request-ID. */
  lines: string;
  body: Buffer;
  storedAt: number;
  expiresAt: number;
  size: number;
}

export const CACHE_MAX_ENTRY_BYTES = 1024 * 1024;
export const CACHE_TTL_MS = 30_000;

export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  private bytes = 0;

  constructor(
    readonly maxBytes = 500 * 1024 * 1024,
    readonly ttlMs = CACHE_TTL_MS,
  ) {}

  get totalBytes(): number {
    return this.bytes;
  }

  get(key: string, now: number): CachedResponse | undefined {
    // An empty cache (every response no-store, or nothing cached yet) costs no hashing of the fresh key string.
    if (this.entries.size === 0) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.evict(key);
      return undefined;
    }
    // Map order is insertion order: re-inserting makes it the most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, lines: string, body: Buffer, now: number): void {
    if (body.length > CACHE_MAX_ENTRY_BYTES) return;
    this.evict(key);
    const size = body.length + lines.length + key.length;
    if (size > this.maxBytes) return;
    this.entries.set(key, { lines, body, storedAt: now, expiresAt: now + this.ttlMs, size });
    this.bytes += size;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.size;
    }
  }

  evict(key: string): void {
    if (this.entries.size === 0) return;
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.size;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
