import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

const servers: Server[] = [];

/**
 * A connected TCP pair over loopback: `client` made with net.connect and connected, `accepted` the server's side,
 * paused on connect (its handle not reading until resumed). `closePairServers` (afterEach) closes the servers.
 */
export async function acceptedPair(): Promise<{ server: Server; accepted: Socket; client: Socket }> {
  const server = createServer({ pauseOnConnect: true });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const accepting = once(server, 'connection') as Promise<[Socket]>;
  const client = connect({ port: address.port, host: '127.0.0.1' });
  await once(client, 'connect');
  const [accepted] = await accepting;
  return { server, accepted, client };
}

export function closePairServers(): void {
  for (const server of servers.splice(0)) server.close();
}

/** Everything `socket` receives until its peer ends. */
export async function readAll(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.resume();
  await once(socket, 'end');
  return Buffer.concat(chunks);
}
