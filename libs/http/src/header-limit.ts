import type { IncomingMessage, ServerResponse } from 'node:http';
import { SERVICE_MAX_HEADER_LINES } from '@edd/config';
import { HttpError } from './errors';

/**
 * Header lines a service reads from one request. Node keeps only `maxHeadersCount` lines and silently drops the
 * rest, so a client that pads its request could push out the lines the gateway appends after its own
 * (X-Forwarded-*, X-Real-IP, X-Request-ID). Services keep one line more than this limit and refuse the request with
 * 431 when that extra line is there: nothing is ever dropped unseen. The gateway refuses client heads that would
 * exceed it once its own lines are added (its MAX_CLIENT_HEADER_LINES is derived from the same 100).
 */
export const MAX_REQUEST_HEADER_LINES = SERVICE_MAX_HEADER_LINES;

/** Node's `maxHeadersCount` for service servers: one past the limit, so an over-long head is detectable. */
export const NODE_MAX_HEADERS_COUNT = MAX_REQUEST_HEADER_LINES + 1;

export function exceedsHeaderLines(req: IncomingMessage): boolean {
  return req.rawHeaders.length / 2 > MAX_REQUEST_HEADER_LINES;
}

export function tooManyHeaderLines(): HttpError {
  return new HttpError('headers_too_large', `more than ${MAX_REQUEST_HEADER_LINES} header lines`);
}

/** Answers an over-long head before any handler sees it, and closes the connection. */
export function refuseTooManyHeaderLines(res: ServerResponse): void {
  const error = tooManyHeaderLines();
  const body = JSON.stringify(error.toBody());
  res.writeHead(error.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
}
