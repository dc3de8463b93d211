/**
 * HTTP rules the gateway and the services must apply identically: when the two disagree, a request either
 * reaches a service in a shape the gateway never checked or its log lines stop matching across hops.
 */

/** Header lines a service's HTTP server keeps (Node's `maxHeadersCount`); `serve()` sets this value. */
export const SERVICE_MAX_HEADER_LINES = 100;

/**
 * Lines the gateway adds to every forwarded request: X-Forwarded-For/-Proto/-Host, X-Real-IP, X-Request-ID,
 * X-Request-Deadline.
 */
export const GATEWAY_FORWARDING_HEADER_LINES = 6;

/**
 * Header lines the gateway accepts from a client (431 beyond). Lines it replaces (Transfer-Encoding,
 * Connection, Upgrade) are counted too, so what reaches a service never exceeds SERVICE_MAX_HEADER_LINES.
 */
export const MAX_CLIENT_HEADER_LINES = SERVICE_MAX_HEADER_LINES - GATEWAY_FORWARDING_HEADER_LINES;

// Short and printable: safe to log and to copy into a response header. No '/', '+', '=', '@' (ids are not base64).
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Is `value` an X-Request-ID the platform keeps (else a fresh id replaces it)? The gateway and every service use this. */
export function isValidRequestId(value: string): boolean {
  return REQUEST_ID.test(value);
}
