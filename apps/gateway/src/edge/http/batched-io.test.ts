import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, writeSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { adoptOwnedReads } from './accepted-reads';
import { ADDON_FILE, batchedIoState } from './batched-io';
import { writeBytes } from './direct-writes';
import { kept } from './owned-reads';

/*
 * The edge's sockets read and written through the batched-I/O addon (batched-io.ts), against real loopback sockets:
 * accepted sockets adopted as the edge adopts them (adoptOwnedReads, which batches where the addon is there) and
 * written with writeBytes as the edge writes (queued inside a batch). `npm ci` builds the addon where cc and Node's
 * headers are installed; where it is not built these tests say so and skip.
 */
const root = fileURLToPath(new URL('../../../../..', import.meta.url));
const built = existsSync(`${root}apps/gateway/native/build/${ADDON_FILE}`);

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A server whose accepted sockets are adopted as the edge adopts them, each handed to `handle` with its deliveries. */
async function adoptingServer(handle: (socket: Socket, chunks: Buffer[]) => (chunk: Buffer) => void): Promise<number> {
  const server = createServer({ noDelay: true }, (socket) => {
    const chunks: Buffer[] = [];
    const deliver = handle(socket, chunks);
    if (!adoptOwnedReads(socket, deliver)) socket.destroy(new Error('not adopted'));
    socket.on('error', () => socket.destroy());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Sends `payload` in pieces of `piece` bytes and collects everything the server sends back until it ends. */
async function exchange(port: number, payload: Buffer, piece: number, endAfterSending = true): Promise<Buffer> {
  const client = connect({ port, host: '127.0.0.1', noDelay: true });
  await once(client, 'connect');
  const received: Buffer[] = [];
  client.on('data', (chunk: Buffer) => received.push(chunk));
  const ended = once(client, 'end');
  for (let at = 0; at < payload.length; at += piece) {
    if (!client.write(payload.subarray(at, at + piece))) await once(client, 'drain');
  }
  if (endAfterSending) client.end();
  await ended;
  client.destroy();
  return Buffer.concat(received);
}

/** Asks the server to answer ("go"), reads nothing for `ms` (its writes fill the sockets' buffers), then all of it. */
async function readAfterAWhile(port: number, ms: number): Promise<Buffer> {
  const client = connect({ port, host: '127.0.0.1' });
  await once(client, 'connect');
  client.pause();
  client.write('go');
  await new Promise((r) => setTimeout(r, ms));
  const received: Buffer[] = [];
  client.on('data', (chunk: Buffer) => received.push(chunk));
  client.resume();
  await once(client, 'end');
  return Buffer.concat(received);
}

/** Queued writes are at most 16 KiB (batched-io.ts); larger ones are made at once. */
const QUEUED = 16_000;

describe.skipIf(!built)('batched I/O', () => {
  it('is on where the addon is built', () => {
    expect(batchedIoState()).toBe('on');
  });

  it('echoes every byte of many concurrent connections in order, small and large', async () => {
    const port = await adoptingServer((socket) => (chunk) => writeBytes(socket, kept(chunk)));
    // Echo servers answer the end of the request with their own.
    servers.at(-1)?.on('connection', (socket: Socket) => socket.on('end', () => socket.end()));
    const payloads = Array.from({ length: 24 }, (_, i) => randomBytes(i % 3 === 0 ? 300_000 + i : 1 + i * 97));
    const echoed = await Promise.all(payloads.map((payload, i) => exchange(port, payload, i % 2 === 0 ? 1_000 : 65_536)));
    echoed.forEach((bytes, i) => expect(bytes.equals(payloads[i] as Buffer)).toBe(true));
  });

  it('holds what was read for a socket paused in the same batch and hands it over, in order, once it resumes', async () => {
    let pausedAt = -1;
    const port = await adoptingServer((socket, chunks) => (chunk) => {
      chunks.push(kept(chunk));
      if (pausedAt === -1) {
        // Paused inside a delivery: anything already read for it must wait, and nothing may arrive meanwhile.
        pausedAt = chunks.length;
        socket.pause();
        setTimeout(() => {
          expect(chunks.length).toBe(pausedAt);
          socket.resume();
        }, 100);
      }
      if (Buffer.concat(chunks).length === 200_000) writeBytes(socket, Buffer.concat(chunks));
    });
    const payload = randomBytes(200_000);
    const client = connect({ port, host: '127.0.0.1' });
    const received: Buffer[] = [];
    client.on('data', (chunk: Buffer) => {
      received.push(chunk);
      if (Buffer.concat(received).length === payload.length) client.end();
    });
    client.write(payload);
    await once(client, 'close');
    expect(Buffer.concat(received).equals(payload)).toBe(true);
  });

  it("delivers end of stream to Node's handler: 'end' after the last byte, once", async () => {
    let ends = 0;
    const port = await adoptingServer((socket, chunks) => {
      socket.on('end', () => {
        ends++;
        // Answers with what it got, then closes: half-open until then.
        writeBytes(socket, Buffer.concat(chunks));
        socket.end();
      });
      return (chunk) => chunks.push(kept(chunk));
    });
    const payload = randomBytes(70_000);
    expect((await exchange(port, payload, 10_000)).equals(payload)).toBe(true);
    expect(ends).toBe(1);
  });

  it('makes the writes queued in a batch before a destroy in the same batch', async () => {
    const answer = randomBytes(50_000);
    const port = await adoptingServer((socket) => () => {
      for (let at = 0; at < answer.length; at += QUEUED) writeBytes(socket, answer.subarray(at, at + QUEUED));
      socket.destroy();
    });
    expect((await exchange(port, Buffer.from('go'), 2, false)).equals(answer)).toBe(true);
  });

  it("goes on through Node with what the kernel did not take, reports it as not written, and emits 'drain'", async () => {
    const big = randomBytes(16 << 20);
    let firstResult: boolean | undefined;
    let drained = false;
    const port = await adoptingServer((socket) => () => {
      // 16 MiB in queued writes to a peer that is not reading: the socket's buffers fill, a queued write is taken in
      // part, the rest goes on through libuv, and the next writes report false until 'drain'.
      for (let at = 0; at < big.length; at += QUEUED) {
        const result = writeBytes(socket, big.subarray(at, at + QUEUED));
        firstResult ??= result;
      }
      socket.once('drain', () => {
        drained = true;
        socket.end();
      });
    });
    const received = await readAfterAWhile(port, 200);
    expect(firstResult).toBe(true);
    expect(drained).toBe(true);
    expect(received.equals(big)).toBe(true);
  });
});

describe.skipIf(!built)('batched I/O and writes through Node', () => {
  it("keeps a queued write ahead of Node's own write to the same socket in the same batch", async () => {
    const queuedPart = randomBytes(QUEUED);
    const nodePart = randomBytes(100_000);
    const port = await adoptingServer((socket) => () => {
      writeBytes(socket, queuedPart);
      // Through Node's Writable, which writes to the handle at once when it holds nothing: after the queued bytes.
      socket.write(nodePart);
      socket.end();
    });
    expect((await readAfterAWhile(port, 50)).equals(Buffer.concat([queuedPart, nodePart]))).toBe(true);
  });

  it('keeps it ahead when the kernel does not take it, so that the rest of it goes on through libuv', async () => {
    const queuedPart = randomBytes(QUEUED);
    const nodePart = randomBytes(100_000);
    const filled: Buffer[] = [];
    const port = await adoptingServer((socket) => () => {
      // In the batch, before the queued write: the socket's send buffer and the peer's receive buffer filled behind
      // Node's back (the peer is not reading), so that the queued write is not taken at all when Node's own write
      // makes it, and nothing of the socket's is pending anywhere in Node.
      const fd = (socket as unknown as { _handle: { fd: number } })._handle.fd;
      for (;;) {
        const block = randomBytes(65_536);
        try {
          filled.push(block.subarray(0, writeSync(fd, block)));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EAGAIN') break;
          throw err;
        }
      }
      writeBytes(socket, queuedPart);
      socket.write(nodePart);
      socket.end();
    });
    const received = await readAfterAWhile(port, 100);
    expect(received.equals(Buffer.concat([...filled, queuedPart, nodePart]))).toBe(true);
  });
});

describe('batched I/O turned off', () => {
  it('leaves every socket to Node when the config says GATEWAY_BATCHED_IO=false, and says so', async () => {
    // A process of its own: in this one the addon is loaded already.
    const script = [
      "import { loadGatewayConfig } from './apps/gateway/src/config.ts';",
      "import { batchedIoState, configureBatchedIo } from './apps/gateway/src/edge/http/batched-io.ts';",
      'configureBatchedIo({ enabled: loadGatewayConfig().GATEWAY_BATCHED_IO });',
      'process.stdout.write(batchedIoState());',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, GATEWAY_BATCHED_IO: 'false' },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(out).toBe('off (GATEWAY_BATCHED_IO=false)');
  });
});
