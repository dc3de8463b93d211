import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpError } from '@edd/http';

/**
 * Answers an upgrade request that will not be upgraded with a plain HTTP response and closes the connection
 * (RFC 6455 §4.2.2: any status other than 101 means the handshake failed).
 */
export function refuseUpgrade(socket: Duplex, refusal: HttpError): void {
  if (socket.destroyed || !socket.writable) return void socket.destroy();
  const body = JSON.stringify(refusal.toBody());
  const { status, headers } = refusal;
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

/** Refusal of an upgrade that arrives while the service closes its live connections. */
export const shuttingDown = (): HttpError => new HttpError('unavailable', 'server shutting down', { headers: { 'Retry-After': '1' } });
