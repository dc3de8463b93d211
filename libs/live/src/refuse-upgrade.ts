import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Answers an upgrade request that will not be upgraded with a plain HTTP response and closes the connection
 * (RFC 6455 §4.2.2: any status other than 101 means the handshake failed).
 */
export function refuseUpgrade(socket: Duplex, status: number, error: string, headers: Record<string, string> = {}): void {
  if (socket.destroyed || !socket.writable) return void socket.destroy();
  const body = JSON.stringify({ error });
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** The extra headers a refusal carries (RFC 6750 §3 for 401, a retry hint for 503). */
export function refusalHeaders(status: number): Record<string, string> {
  if (status === 401) return { 'WWW-Authenticate': 'Bearer realm="edd-cloud"' };
  if (status === 503) return { 'Retry-After': '1' };
  return {};
}
