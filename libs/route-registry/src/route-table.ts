import { LookupCache } from './lookup-cache';
import type { CacheNode } from './lookup-cache';
import { keepsPath, normalizeHost, normalizePathPrefix } from './route';
import type { Route, RouteMatch } from './route';

const SLASH = 47;

/** Order inside one host: explicit priority (higher first), then longer prefix (an exact path is the longest). */
function compareRoutes(a: Route, b: Route): number {
  return b.priority - a.priority || b.pathPrefix.length - a.pathPrefix.length;
}

/** Prefix match on a segment boundary: `/compute` matches `/compute`, `/compute/x`, not `/computer`. */
function prefixMatches(path: string, prefix: string): boolean {
  if (prefix.length === 1) return path.charCodeAt(0) === SLASH; // root `/`
  if (!path.startsWith(prefix)) return false;
  return path.length === prefix.length || path.charCodeAt(prefix.length) === SLASH;
}

function upstreamPathFor(route: Route, path: string): string {
  if (keepsPath(route)) return path;
  const rest = path.slice(route.pathPrefix.length);
  return rest.charCodeAt(0) === SLASH ? rest : `/${rest}`; // '' or '?query' after the prefix
}

interface HostRoutes {
  /** Sorted by `compareRoutes`: the first that matches wins. */
  routes: readonly Route[];
  /** This host's part of the lookup cache, keyed by path without query. `null` = no route matches. */
  cached: Map<string, CacheNode<RouteMatch | null>>;
}

/**
 * The gateway's route lookup. Routes are grouped per host and sorted once in `replace()`, so `match()`
 * is a map lookup plus a short scan; resolved lookups are kept in an LRU (host, then path without query).
 *
 * Paths are compared byte for byte: no percent-decoding and no dot-segment removal. `/compute/../auth`
 * therefore goes to the `/compute` route's upstream (which resolves it within its own namespace), never to
 * the `/auth` route: a request cannot reach another route by spelling its path differently.
 */
export class RouteTable {
  private byHost = new Map<string, HostRoutes>();
  /** Every key is its own normal form: a host equal to a key needs no normalising (see `match`). */
  private keysAreNormal = true;
  private all: readonly Route[] = [];
  /**
   * The last host looked up, as given, and its routes: a connection sends its requests to one host, and comparing
   * the strings costs less than hashing the host again for the map (a new string each request).
   */
  private lastHost = '';
  private lastEntry: HostRoutes | undefined;
  // Unknown hosts are never cached: a flood of random Host headers cannot evict real entries.
  private readonly cache: LookupCache<RouteMatch | null>;

  constructor(routes: readonly Route[] = [], cacheSize = 100) {
    this.cache = new LookupCache(cacheSize);
    this.replace(routes);
  }

  get routes(): readonly Route[] {
    return this.all;
  }

  /** Swaps the whole table atomically (single-threaded: a `match` sees the old or the new table) and clears the cache. */
  replace(routes: readonly Route[]): void {
    const frozen = routes.map((r) => Object.freeze({ ...r, host: normalizeHost(r.host), pathPrefix: normalizePathPrefix(r.pathPrefix) }));
    const byHost = new Map<string, Route[]>();
    for (const route of frozen) {
      const list = byHost.get(route.host);
      if (list) list.push(route);
      else byHost.set(route.host, [route]);
    }
    this.cache.clear();
    const next = new Map<string, HostRoutes>();
    // Array.prototype.sort is stable: on a full tie the route listed first wins.
    for (const [host, list] of byHost) next.set(host, { routes: list.sort(compareRoutes), cached: new Map() });
    this.byHost = next;
    this.lastHost = '';
    this.lastEntry = undefined;
    this.keysAreNormal = [...next.keys()].every((host) => normalizeHost(host) === host);
    this.all = Object.freeze(frozen);
  }

  /** `host` as sent (port, case, trailing dot allowed); `path` is the request-target in origin-form, query included. */
  match(host: string, path: string): RouteMatch | undefined {
    const queryAt = path.indexOf('?');
    if (queryAt === -1) return this.matchPath(host, path);
    const resolved = this.matchPath(host, path.slice(0, queryAt));
    return resolved && { route: resolved.route, upstreamPath: upstreamPathFor(resolved.route, path) };
  }

  /**
   * As match, for a path without its query (a caller that split the target already, as the gateway's parsers do):
   * the result's upstreamPath has no query either. Returns the cached match object itself.
   */
  matchPath(host: string, path: string): RouteMatch | undefined {
    // The gateway passes hosts it already lower-cased without port: found as is, they are normal (a key is its own
    // normal form), and the scan over the host is saved. Only a miss is normalised and looked up again.
    let entry = this.lastEntry;
    if (host !== this.lastHost || entry === undefined) {
      entry = (this.keysAreNormal ? this.byHost.get(host) : undefined) ?? this.byHost.get(normalizeHost(host));
      if (entry === undefined) return undefined;
      this.lastHost = host;
      this.lastEntry = entry;
    }
    const node = this.cache.get(entry.cached, path);
    if (node !== undefined) return node.value ?? undefined;
    let resolved: RouteMatch | null = null;
    for (const route of entry.routes) {
      if (prefixMatches(path, route.pathPrefix)) {
        // Shared through the cache, hence frozen.
        resolved = Object.freeze({ route, upstreamPath: upstreamPathFor(route, path) });
        break;
      }
    }
    this.cache.set(entry.cached, path, resolved);
    return resolved ?? undefined;
  }

  /** Cached lookups (for tests and metrics). */
  get cachedEntries(): number {
    return this.cache.size;
  }
}
