import type { Socket } from 'node:net';

/**
 * Joins two sockets both ways (WebSocket after 101, TLS passthrough): bytes flow with back-pressure
 * through pipe(), a half-close is propagated, and when either side dies the other is destroyed.
 */
export function spliceSockets(a: Socket, b: Socket, onClose?: () => void): void {
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    a.destroy();
    b.destroy();
    onClose?.();
  };
  a.on('error', close);
  b.on('error', close);
  a.on('close', close);
  b.on('close', close);
  a.pipe(b);
  b.pipe(a);
  a.resume();
  b.resume();
}
