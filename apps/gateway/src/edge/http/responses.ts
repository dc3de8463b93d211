/** Responses the gateway writes itself: JSON errors, redirects, cache hits. */
const REASONS: Record<number, string> = {
  200: 'OK',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const ERROR_MESSAGES: Record<number, string> = {
  400: 'bad request',
  404: 'no route for this host and path',
  405: 'method not allowed (CONNECT and TRACE are refused)',
  408: 'request head not received in time',
  431: 'request header fields too large',
  501: 'transfer coding not implemented',
  502: 'upstream unavailable',
  503: 'gateway shutting down',
  504: 'upstream timed out',
};

export function reason(status: number): string {
  return REASONS[status] ?? 'Unknown';
}

export function jsonErrorResponse(status: number, message: string, date: string, requestId: string, close: boolean): Buffer {
  const body = JSON.stringify({ error: message });
  const head =
    `HTTP/1.1 ${status} ${reason(status)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `Cache-Control: no-store\r\nDate: ${date}\r\n${requestId ? `X-Request-ID: ${requestId}\r\n` : ''}` +
    `Connection: ${close ? 'close' : 'keep-alive'}\r\n\r\n`;
  return Buffer.from(head + body, 'latin1');
}

export function redirectResponse(location: string, date: string, requestId: string, close: boolean): Buffer {
  const body = JSON.stringify({ error: 'use https', location });
  const head =
    `HTTP/1.1 308 Permanent Redirect\r\nLocation: ${location}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nDate: ${date}\r\nX-Request-ID: ${requestId}\r\n` +
    `Connection: ${close ? 'close' : 'keep-alive'}\r\n\r\n`;
  return Buffer.from(head + body, 'latin1');
}
