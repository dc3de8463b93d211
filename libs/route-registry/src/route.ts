/** One static route: requests for `host` whose path starts with `pathPrefix` (on a segment boundary) go to `target`. */
export interface Route {
  /** `static_routes.id` when the route came from the database. */
  id?: number;
  /** Normalised host: lowercase, no port, no trailing dot. */
  host: string;
  /** Normalised prefix: starts with `/`, no trailing `/` except the root `/`. */
  pathPrefix: string;
  /** Upstream origin, `http(s)://host[:port]`, no path. */
  target: string;
  /** Remove `pathPrefix` from the path sent upstream (a leading `/` is kept). */
  stripPrefix: boolean;
  /** Higher wins before any path rule applies. */
  priority: number;
}

/**
 * Whether requests on this route go upstream with their path as received (no prefix to strip, or only the root):
 * a proxy can then forward the request target it already holds instead of the match's copy of it.
 */
export function keepsPath(route: Pick<Route, 'stripPrefix' | 'pathPrefix'>): boolean {
  return !route.stripPrefix || route.pathPrefix.length === 1;
}

export interface RouteMatch {
  route: Route;
  /** Path and query to send upstream, after `stripPrefix`. */
  upstreamPath: string;
}

const UPPER_A = 65;
const UPPER_Z = 90;
const COLON = 58;
const DOT = 46;
const BRACKET_OPEN = 91;
const BRACKET_CLOSE = 93;

/**
 * Host header -> route key: lowercase (RFC 9110 §4.2.3: host is case-insensitive), port removed
 * (RFC 9110 §7.2), one trailing dot removed (FQDN form), IPv6 literal kept with its brackets.
 * Returns the input itself when it is already normal, so the common case allocates nothing.
 */
export function normalizeHost(host: string): string {
  let end = host.length;
  if (end === 0) return host;
  if (host.charCodeAt(0) === BRACKET_OPEN) {
    const close = host.indexOf(']');
    if (close === -1) return host.toLowerCase();
    end = close + 1;
  } else {
    for (let i = 0; i < end; i++) {
      if (host.charCodeAt(i) === COLON) {
        end = i;
        break;
      }
    }
    if (end > 0 && host.charCodeAt(end - 1) === DOT) end--;
  }
  let hasUpper = false;
  for (let i = 0; i < end; i++) {
    const c = host.charCodeAt(i);
    if (c >= UPPER_A && c <= UPPER_Z) {
      hasUpper = true;
      break;
    }
  }
  const cut = end === host.length ? host : host.slice(0, end);
  return hasUpper ? cut.toLowerCase() : cut;
}

/** `/api/` and `/api` are the same prefix; `''` is the root. Never changes case or percent-encoding. */
export function normalizePathPrefix(prefix: string): string {
  let end = prefix.length;
  while (end > 1 && prefix.charCodeAt(end - 1) === 47) end--;
  const trimmed = prefix.slice(0, end);
  if (trimmed === '' || trimmed === '/') return '/';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** Whether `host` is a bracketed IPv6 literal (kept as-is by `normalizeHost`). */
export function isBracketedIpv6(host: string): boolean {
  return host.charCodeAt(0) === BRACKET_OPEN && host.charCodeAt(host.length - 1) === BRACKET_CLOSE;
}
