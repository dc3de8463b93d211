import type { Socket } from 'node:net';

/**
 * ssh2 writes every SSH packet to its socket on its own: one system call (and on loopback one wake-up of the
 * reader) per packet of at most 32 KiB. Corked until the end of this event-loop turn, the packets made while
 * handling one batch of input leave in one writev; nothing waits longer than the turn that made it.
 */
export function coalesceWrites(socket: Socket): void {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  const flush = (): void => {
    corked = false;
    // end() uncorks (and flushes) the socket it ends; a destroyed socket has nothing left to send.
    if (socket.writableCorked > 0 && !socket.destroyed) socket.uncork();
  };
  socket.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(flush);
    }
    return write(...args);
  }) as Socket['write'];
}
