import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { COPY_LIMIT, LARGE_READ_SIZE, ownedChunkReads, READ_SIZE } from './owned-reads';

let server: Server | undefined;
afterEach(() => server?.close());

/** A server that writes `pieces` one per event-loop turn (so they arrive as separate reads), then ends. */
async function serve(pieces: Buffer[]): Promise<number> {
  server = createServer((socket: Socket) => {
    let i = 0;
    const next = (): void => {
      if (i === pieces.length) return void socket.end();
      socket.write(pieces[i++] as Buffer, () => setTimeout(next, 2));
    };
    next();
  });
  await new Promise<void>((resolve) => (server as Server).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Every chunk the client was handed, kept until the end as a caller keeping them would. */
function receive(port: number, chunks: Buffer[] = [], onread = ownedChunkReads((chunk) => chunks.push(chunk))): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', onread });
    socket.on('end', () => resolve(chunks));
    socket.on('error', reject);
    socket.on('data', () => reject(new Error("a socket with onread emitted 'data'")));
  });
}

describe('ownedChunkReads', () => {
  it('hands over every byte in order, and no chunk kept by the receiver is overwritten by a later read', async () => {
    // Small reads (copied out of the reused buffer), reads that fill it (handed over, then a larger buffer),
    // small reads into the larger one (copied, then back to the small buffer), and bodies larger than any buffer.
    const sizes = [5, 1_300, READ_SIZE - 1, READ_SIZE, 7, 200, 3 * LARGE_READ_SIZE + 17, 11, 2_000, READ_SIZE + 1, 9];
    const pieces = sizes.map((size) => randomBytes(size));
    const chunks = await receive(await serve(pieces));
    expect(Buffer.concat(chunks).equals(Buffer.concat(pieces))).toBe(true);
    // The small pieces arrived alone (the server waits between writes), so each is one chunk of its own.
    for (const piece of pieces.filter((p) => p.length < COPY_LIMIT)) expect(chunks.some((c) => c.equals(piece))).toBe(true);
  });

  it('reads a large body in buffers of the larger size once one has been filled', async () => {
    const body = randomBytes(8 * LARGE_READ_SIZE);
    const chunks = await receive(await serve([body]));
    expect(Buffer.concat(chunks).equals(body)).toBe(true);
    expect(Math.max(...chunks.map((c) => c.length))).toBeGreaterThan(READ_SIZE);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(LARGE_READ_SIZE);
  });

  it('gives the large buffer back once reads are small again, so an idle connection holds the small one', async () => {
    const chunks: Buffer[] = [];
    const onread = ownedChunkReads((chunk) => chunks.push(chunk));
    const nextBuffer = onread.buffer as () => Uint8Array;
    expect(nextBuffer().length).toBe(READ_SIZE);
    await receive(await serve([randomBytes(4 * LARGE_READ_SIZE), randomBytes(100)]), chunks, onread);
    expect(nextBuffer().length).toBe(READ_SIZE);
    expect(Math.max(...chunks.map((c) => c.length))).toBeGreaterThan(READ_SIZE);
  });
});
