import type { ErrorCode, errorCatalogue } from '@edd/api-contracts';
import type { ParseError } from './request-head';

/** Responses the gateway writes itself: JSON errors, redirects, cache hits. */
const REASONS: Record<number, string> = {
  200: 'OK',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  504: 'Gateway Timeout',
};

export function reason(status: number): string {
  return REASONS[status] ?? 'Unknown';
}

/**
 * An error the edge answers itself, `{"error":"...","code":"..."}` with the platform's code. Status line, content
 * headers and body are rendered once; each answer only adds Date, X-Request-ID and Connection.
 */
export interface EdgeError {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  /** From the status line through `Cache-Control`, each line ending in CRLF. */
  readonly head: string;
  readonly body: string;
}

/** The catalogue's status for `code`, as a type: a code answered with another status does not compile. */
type StatusOf<C extends ErrorCode> = (typeof errorCatalogue)[C]['status'];

// Only types come from @edd/api-contracts (no zod in the edge); tests/edge-errors.test.ts checks the bodies at run time.
function edgeError<C extends ErrorCode>(code: C, status: StatusOf<C>, message: string): EdgeError {
  const body = JSON.stringify({ error: message, code });
  const head =
    `HTTP/1.1 ${status} ${reason(status)}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\n`;
  return { status, code, message, head, body };
}

/** Every fixed answer of the edge (the 502 naming a socket error is `upstreamUnavailable`). */
export const EDGE_ERRORS = {
  badRequest: edgeError('invalid_request', 400, 'bad request'),
  malformedChunkedBody: edgeError('invalid_request', 400, 'malformed chunked body'),
  noRoute: edgeError('no_route', 404, 'no route for this host and path'),
  noContainerIngress: edgeError('no_route', 404, 'no such container ingress'),
  methodRefused: edgeError('method_not_allowed', 405, 'method not allowed (CONNECT and TRACE are refused)'),
  headTimeout: edgeError('request_timeout', 408, 'request head not received in time'),
  bodyTimeout: edgeError('request_timeout', 408, 'request body not received in time'),
  headTooLarge: edgeError('headers_too_large', 431, 'request header fields too large'),
  codingNotImplemented: edgeError('not_implemented', 501, 'transfer coding not implemented'),
  invalidRouteTarget: edgeError('bad_gateway', 502, 'route target is not a valid http(s) URL'),
  upstreamUnavailable: edgeError('bad_gateway', 502, 'upstream unavailable'),
  upstreamHeadTooLarge: edgeError('bad_gateway', 502, 'upstream response head too large'),
  upstreamMalformed: edgeError('bad_gateway', 502, 'malformed upstream response'),
  upstreamSwitchedUnasked: edgeError('bad_gateway', 502, 'upstream switched protocols unasked'),
  upstreamTimeout: edgeError('gateway_timeout', 504, 'upstream timed out'),
  // The service may still carry it out after we gave up: a client must not read a 504 as "nothing happened".
  upstreamTimeoutOutcomeUnknown: edgeError(
    'gateway_timeout',
    504,
    'upstream timed out; the outcome is unknown: the request may still have been carried out (retry with the same Idempotency-Key)',
  ),
} as const;

/** RFC 9110 §9.2.2: methods whose repetition has the effect of one request. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** The 504 for `method`: for one that is not idempotent (POST, PATCH) it says the outcome is unknown. */
export function upstreamTimeoutFor(method: string | undefined): EdgeError {
  return method === undefined || IDEMPOTENT_METHODS.has(method) ? EDGE_ERRORS.upstreamTimeout : EDGE_ERRORS.upstreamTimeoutOutcomeUnknown;
}

/** What a request head the parser refused is answered with. */
export const PARSE_ERRORS: Readonly<Record<ParseError, EdgeError>> = {
  400: EDGE_ERRORS.badRequest,
  405: EDGE_ERRORS.methodRefused,
  431: EDGE_ERRORS.headTooLarge,
  501: EDGE_ERRORS.codingNotImplemented,
};

const unavailableByErrno = new Map<string, EdgeError>();

/** 502 naming the socket error (`upstream unavailable (ECONNREFUSED)`), rendered once per errno code. */
export function upstreamUnavailable(errno: string | undefined): EdgeError {
  if (!errno) return EDGE_ERRORS.upstreamUnavailable;
  let error = unavailableByErrno.get(errno);
  if (error === undefined) {
    error = edgeError('bad_gateway', 502, `upstream unavailable (${errno})`);
    unavailableByErrno.set(errno, error);
  }
  return error;
}

/** The whole answer for `error`; bodies are ASCII, so latin1 writes them byte for byte. */
export function jsonErrorResponse(error: EdgeError, date: string, requestId: string, close: boolean): Buffer {
  const head =
    `${error.head}Date: ${date}\r\n${requestId ? `X-Request-ID: ${requestId}\r\n` : ''}` +
    `Connection: ${close ? 'close' : 'keep-alive'}\r\n\r\n`;
  return Buffer.from(head + error.body, 'latin1');
}

/** 308 to HTTPS. Not an error: the body only repeats the Location for clients that do not follow redirects. */
export function redirectResponse(location: string, date: string, requestId: string, close: boolean): Buffer {
  const body = JSON.stringify({ location });
  const head =
    `HTTP/1.1 308 Permanent Redirect\r\nLocation: ${location}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nDate: ${date}\r\nX-Request-ID: ${requestId}\r\n` +
    `Connection: ${close ? 'close' : 'keep-alive'}\r\n\r\n`;
  return Buffer.from(head + body, 'latin1');
}
