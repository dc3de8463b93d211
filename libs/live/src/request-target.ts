import type { IncomingMessage } from 'node:http';

/** The path and query of a request target (RFC 9112 §3.2: origin-form), or undefined when it is not one. */
export function requestTarget(req: Pick<IncomingMessage, 'url'>): { pathname: string; query: URLSearchParams } | undefined {
  const url = req.url ?? '';
  if (!url.startsWith('/')) return undefined;
  const q = url.indexOf('?');
  const pathname = q === -1 ? url : url.slice(0, q);
  return { pathname, query: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)) };
}
