/**
 * Services expose `/internal/*` to each other only (issue 14 item 1): the public gateway never forwards such a
 * path, however it is spelled. Express matches paths case-insensitively and a route prefix may be stripped, so
 * the check runs on the path the upstream would see, after undoing percent-encoding, dot segments and `//`.
 */
const INTERNAL = /^\/internal(?:\/|$)/i;
// Only such paths need normalising; the rest are checked as they are (no allocation on the hot path).
const NEEDS_NORMALISING = /%|\/\.|\/\/|\\/;
/**
 * Either of the two above, built from them: one pattern call clears the usual path, which is neither internal nor
 * odd. (The `i` flag changes nothing for NEEDS_NORMALISING's characters.)
 */
const MAY_BE_INTERNAL = new RegExp(`${INTERNAL.source}|${NEEDS_NORMALISING.source}`, 'i');
const BASE = 'http://h';

/**
 * `//x` would parse as a host name, and so would `\\x` and `/\x` (the URL parser reads a backslash as a slash in
 * http URLs): runs of both are collapsed before every URL resolution. Without the backslashes, `/\\%` made the
 * parser throw (a host of `%`), and the request lost its connection instead of getting an answer.
 */
function resolveDots(path: string): string {
  return new URL(path.replace(/[/\\]{2,}/g, '/'), BASE).pathname;
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

/**
 * Whether isInternalPath(path) needs a closer look: the path starts with `/internal` or needs normalising. The head
 * scanner finds the same while it scans a request's target (head-scanner.ts requestPathMayBeInternal), so the usual
 * request pays no pattern call.
 */
export function pathMayBeInternal(path: string): boolean {
  return MAY_BE_INTERNAL.test(path);
}

/** Is `path` (without query) one of the services' internal routes? */
export function isInternalPath(path: string): boolean {
  if (!pathMayBeInternal(path)) return false;
  if (INTERNAL.test(path)) return true;
  // MAY_BE_INTERNAL matched and INTERNAL did not: NEEDS_NORMALISING matches, the path must be normalised.
  try {
    return INTERNAL.test(normalise(path));
  } catch {
    return true; // a path the check cannot read is refused (404), never forwarded unchecked
  }
}
