import { createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A server that writes `pieces` to each connection one per event-loop turn (so they arrive as separate reads),
 * then ends it. For the read-path unit tests.
 */
export async function servePieces(pieces: readonly Buffer[]): Promise<{ port: number; close(): void }> {
  const server = createServer((socket: Socket) => {
    let i = 0;
    const next = (): void => {
      if (i === pieces.length) return void socket.end();
      socket.write(pieces[i++] as Buffer, () => setTimeout(next, 2));
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}
