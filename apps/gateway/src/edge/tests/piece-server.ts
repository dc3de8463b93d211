import { createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A server that writes `pieces` to each connection one at a time, then ends it. With `received` (how many bytes the
 * test's reader has taken so far) each piece waits until the reader has all the bytes before it, so every piece
 * arrives as reads of its own however busy the machine is; without it, pieces are only spaced by a few
 * milliseconds. For the read-path unit tests.
 */
export async function servePieces(pieces: readonly Buffer[], received?: () => number): Promise<{ port: number; close(): void }> {
  const server = createServer((socket: Socket) => {
    let i = 0;
    let sent = 0;
    const next = (): void => {
      if (received !== undefined && received() < sent) return void setTimeout(next, 1);
      if (i === pieces.length) return void socket.end();
      const piece = pieces[i++] as Buffer;
      sent += piece.length;
      socket.write(piece, () => setTimeout(next, 2));
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}
