/**
 * Services expose `/internal/*` to each other only (issue 14 item 1): the public gateway never forwards such a
 * path, however it is spelled. Express matches paths case-insensitively and a route prefix may be stripped, so
 * the check runs on the path the upstream would see, after undoing percent-encoding, dot segments and `//`.
 */
const INTERNAL = /^\/internal(?:\/|$)/i;
// Only such paths need normalising; the rest are checked as they are (no allocation on the hot path).
const NEEDS_NORMALISING = /%|\/\.|\/\/|\\/;
const BASE = 'http://h';

/** `//x` would parse as a host name: slashes are collapsed before every URL resolution. */
function resolveDots(path: string): string {
  return new URL(path.replace(/\/{2,}/g, '/'), BASE).pathname;
}

function normalise(path: string): string {
  let p = resolveDots(path);
  try {
    p = decodeURIComponent(p);
  } catch {
    // Malformed escapes: check what we have (the upstream would refuse or keep it as it is).
  }
  return resolveDots(p);
}

/** Is `path` (without query) one of the services' internal routes? */
export function isInternalPath(path: string): boolean {
  if (INTERNAL.test(path)) return true;
  return NEEDS_NORMALISING.test(path) && INTERNAL.test(normalise(path));
}
