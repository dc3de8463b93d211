/**
 * LRU of resolved lookups, keyed by host then path (no query). Each host keeps its own Map keyed by the
 * path string itself, so a lookup hashes the request's path once and never builds a `host + path` key;
 * recency is a doubly linked list across all hosts, so a hit is two pointer swaps and `capacity` bounds
 * the total number of entries, whatever the number of hosts.
 */
export interface CacheNode<V> {
  readonly bucket: Map<string, CacheNode<V>>;
  readonly path: string;
  value: V;
  older: CacheNode<V> | undefined;
  newer: CacheNode<V> | undefined;
}

export class LookupCache<V> {
  private oldest: CacheNode<V> | undefined;
  private newest: CacheNode<V> | undefined;
  private count = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.count;
  }

  get(bucket: Map<string, CacheNode<V>>, path: string): CacheNode<V> | undefined {
    const node = bucket.get(path);
    if (node !== undefined && node !== this.newest) {
      this.unlink(node);
      this.append(node);
    }
    return node;
  }

  set(bucket: Map<string, CacheNode<V>>, path: string, value: V): void {
    if (this.capacity <= 0) return;
    const existing = bucket.get(path);
    if (existing) {
      existing.value = value;
      this.get(bucket, path);
      return;
    }
    if (this.count >= this.capacity && this.oldest) {
      const evicted = this.oldest;
      this.unlink(evicted);
      evicted.bucket.delete(evicted.path);
    }
    const node: CacheNode<V> = { bucket, path, value, older: undefined, newer: undefined };
    bucket.set(path, node);
    this.append(node);
  }

  /** Forgets the recency list; callers drop their buckets (RouteTable.replace builds new ones). */
  clear(): void {
    let node = this.oldest;
    while (node) {
      node.bucket.delete(node.path);
      node = node.newer;
    }
    this.oldest = this.newest = undefined;
    this.count = 0;
  }

  private append(node: CacheNode<V>): void {
    node.older = this.newest;
    node.newer = undefined;
    if (this.newest) this.newest.newer = node;
    else this.oldest = node;
    this.newest = node;
    this.count++;
  }

  private unlink(node: CacheNode<V>): void {
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
    node.older = node.newer = undefined;
    this.count--;
  }
}
