import { HttpError } from '@edd/http';

/** The namespace and the rest of a file URL, percent-decoded: `/storage/photos/a/b%20c.txt` → photos, `a/b c.txt`. */
export interface FileTarget {
  namespace: string;
  /** As sent: may be empty or end with `/` (a folder, for multipart uploads); validated by the route. */
  rest: string;
}

/**
 * Splits the raw (still encoded) pathname after `base`. The rest is decoded as one string, not per route segment,
 * so an encoded `%2F` is a folder separator like `/`, and `a//b` reaches the path rules (which refuse it) instead
 * of being merged by the router.
 */
export function fileTarget(pathname: string, base: string): FileTarget {
  if (!pathname.startsWith(base)) throw new HttpError('not_found');
  const tail = pathname.slice(base.length);
  const slash = tail.indexOf('/');
  const rawNamespace = slash === -1 ? tail : tail.slice(0, slash);
  const rawRest = slash === -1 ? '' : tail.slice(slash + 1);
  return { namespace: decode(rawNamespace, 'namespace'), rest: decode(rawRest, 'path') };
}

function decode(value: string, field: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new HttpError('invalid_request', `the ${field} in the URL is not valid percent-encoded UTF-8`, {
      details: [{ path: field, message: 'invalid percent-encoding' }],
    });
  }
}

/** The pathname of a request URL, undecoded. */
export function rawPathname(originalUrl: string): string {
  const query = originalUrl.indexOf('?');
  return query === -1 ? originalUrl : originalUrl.slice(0, query);
}
