import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { FetchLike } from '@edd/api-client';

/**
 * `fetch` for Node that reaches `*.localhost` hosts: browsers map them to loopback (RFC 6761 §6.3), glibc does not,
 * and Node's own fetch neither resolves them nor lets a caller set `Host`. It also sends any header (e.g. `Origin`);
 * other hosts resolve through DNS as usual.
 */
export const gatewayFetch: FetchLike = (input, init = {}) =>
  new Promise<Response>((resolve, reject) => {
    const url = new URL(input);
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (init.body !== undefined && init.body !== null && body === undefined) throw new Error('gatewayFetch sends string bodies only');

    const req = httpRequest(url, { method: init.method ?? 'GET', headers: Object.fromEntries(headers), lookup: localhostLookup }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(payload, { status, statusText: res.statusMessage, headers: toHeaders(res.headers) }));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });

const localhostLookup: LookupFunction = (hostname, options, callback) => {
  const loopback = hostname === 'localhost' || hostname.endsWith('.localhost');
  if (!loopback) return void dnsLookup(hostname, options, callback);
  if (options.all)
    return void (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
      { address: '127.0.0.1', family: 4 },
    ]);
  callback(null, '127.0.0.1', 4);
};

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}
