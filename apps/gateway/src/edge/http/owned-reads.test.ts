import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { inReadRegion } from './head-scanner';
import { servePieces } from '../tests/piece-server';
import { COPY_LIMIT, kept, LARGE_READ_SIZE, ownedChunkReads, READ_SIZE, readThroughHandle } from './owned-reads';

let server: { close(): void } | undefined;
afterEach(() => server?.close());

async function serve(pieces: Buffer[], received?: () => number): Promise<number> {
  const served = await servePieces(pieces, received);
  server = served;
  return served.port;
}

/**
 * Every chunk the client was handed, kept until the end as a caller keeping them must (`kept`). The socket reads
 * through its handle as the gateway's do (readThroughHandle), or through Node's read handler with `nodeHandler`.
 */
function receive(
  port: number,
  chunks: Buffer[] = [],
  onread = ownedChunkReads((chunk) => chunks.push(kept(chunk))),
  nodeHandler = false,
): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', onread });
    if (!nodeHandler && !readThroughHandle(socket, onread)) reject(new Error('readThroughHandle found no handle'));
    socket.on('end', () => resolve(chunks));
    socket.on('error', reject);
    socket.on('data', () => reject(new Error("a socket with onread emitted 'data'")));
  });
}

describe('ownedChunkReads', () => {
  it('hands over every byte in order, and no chunk kept by the receiver is overwritten by a later read', async () => {
    // Small reads (lent from the read region), reads that fill it (copied out, then a larger buffer), small reads
    // into the larger one (copied, then back to the region), and bodies larger than any buffer.
    const sizes = [5, 1_300, READ_SIZE - 1, READ_SIZE, 7, 200, 3 * LARGE_READ_SIZE + 17, 11, 2_000, READ_SIZE + 1, 9];
    const pieces = sizes.map((size) => randomBytes(size));
    const chunks: Buffer[] = [];
    await receive(await serve(pieces, () => chunks.reduce((n, c) => n + c.length, 0)), chunks);
    expect(Buffer.concat(chunks).equals(Buffer.concat(pieces))).toBe(true);
    // The small pieces arrived alone (the server waits until the reader has everything before each), so each is one
    // chunk of its own.
    for (const piece of pieces.filter((p) => p.length < COPY_LIMIT)) expect(chunks.some((c) => c.equals(piece))).toBe(true);
  });

  it("hands over the same bytes through Node's read handler, as where the handle cannot be read directly", async () => {
    const pieces = [5, READ_SIZE, 3 * LARGE_READ_SIZE + 17, 11].map((size) => randomBytes(size));
    const chunks: Buffer[] = [];
    const port = await serve(pieces, () => chunks.reduce((n, c) => n + c.length, 0));
    await receive(
      port,
      chunks,
      ownedChunkReads((chunk) => chunks.push(kept(chunk))),
      true,
    );
    expect(Buffer.concat(chunks).equals(Buffer.concat(pieces))).toBe(true);
  });

  it("leaves a reset to Node's read handler: the bytes before it arrive, then a read error", async () => {
    const sent = randomBytes(1_000);
    const resetting = createServer((socket) => socket.write(sent, () => setTimeout(() => socket.resetAndDestroy(), 20)));
    server = resetting;
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    const { port } = resetting.address() as AddressInfo;
    const chunks: Buffer[] = [];
    const onread = ownedChunkReads((chunk) => chunks.push(kept(chunk)));
    const socket = connect({ port, host: '127.0.0.1', onread });
    expect(readThroughHandle(socket, onread)).toBe(true);
    const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNRESET');
    expect(error.syscall).toBe('read');
    expect(Buffer.concat(chunks).equals(sent)).toBe(true);
  });

  it('reads a large body in buffers of the larger size once one has been filled', async () => {
    const body = randomBytes(8 * LARGE_READ_SIZE);
    const chunks = await receive(await serve([body]));
    expect(Buffer.concat(chunks).equals(body)).toBe(true);
    expect(Math.max(...chunks.map((c) => c.length))).toBeGreaterThan(READ_SIZE);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(LARGE_READ_SIZE);
  });

  it('gives the large buffer back once reads are small again, so an idle connection holds no buffer of its own', async () => {
    const chunks: Buffer[] = [];
    const onread = ownedChunkReads((chunk) => chunks.push(kept(chunk)));
    const nextBuffer = onread.buffer as () => Uint8Array;
    const region = nextBuffer();
    expect(inReadRegion(region)).toBe(true);
    // Every socket reads small reads into the same region.
    expect((ownedChunkReads(() => undefined).buffer as () => Uint8Array)()).toBe(region);
    await receive(await serve([randomBytes(4 * LARGE_READ_SIZE), randomBytes(100)]), chunks, onread);
    expect(nextBuffer()).toBe(region);
    expect(Math.max(...chunks.map((c) => c.length))).toBeGreaterThan(READ_SIZE);
  });

  it('lends small reads: the next read overwrites a chunk that was not kept, and kept() copies only lent bytes', async () => {
    const pieces = [Buffer.from('first read'), Buffer.from('SECOND READ')];
    const lent: Buffer[] = [];
    const copies: Buffer[] = [];
    await receive(
      await serve(pieces),
      [],
      ownedChunkReads((chunk) => {
        lent.push(chunk);
        copies.push(kept(chunk));
      }),
    );
    expect(copies).toEqual(pieces);
    expect(lent.map((chunk) => inReadRegion(chunk))).toEqual([true, true]);
    // The first chunk's bytes are now the start of the second read: why a receiver keeps kept(chunk).
    expect(lent[0]?.toString()).toBe('SECOND REA');
    expect(copies.map((copy) => inReadRegion(copy))).toEqual([false, false]);
    const large = Buffer.alloc(LARGE_READ_SIZE);
    expect(kept(large)).toBe(large);
  });
});
