import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptedPair, closePairServers, readAll } from '../tests/socket-pair';
import { directWritesAvailable, writeBytes, writeLatin1 } from './direct-writes';

afterEach(closePairServers);

/** A full collection now, so that bytes nothing references any more are freed (and their memory reused). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('direct writes', () => {
  // If this fails after a Node upgrade, the gateway still works (every write goes through socket.write) but
  // loses the fast path.
  it('finds the handle write methods and WriteWrap in this Node', () => {
    expect(directWritesAvailable).toBe(true);
  });

  it('delivers small writes at once, in order with socket.write and end', async () => {
    const { accepted, client } = await acceptedPair();
    const received = readAll(accepted);
    expect(writeLatin1(client, 'GET / HTTP/1.1\r\n')).toBe(true);
    expect(writeBytes(client, Buffer.from('Host: a\r\n'))).toBe(true);
    client.write('X: 1\r\n');
    expect(writeLatin1(client, '\r\n')).toBe(true);
    client.end('tail');
    expect((await received).toString('latin1')).toBe('GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\ntail');
  });

  it('reports a write the peer does not take yet, emits drain once it has, and keeps the bytes until then', async () => {
    const { accepted, client } = await acceptedPair();
    let drains = 0;
    client.on('drain', () => drains++);
    // Larger than the loopback socket buffers together: the kernel takes only part of it.
    const big = randomBytes(16 * 1024 * 1024);
    const expected = Buffer.concat([big, Buffer.from('after'), Buffer.from('more'), Buffer.from('end')]);
    // The only reference to the bytes being written is the one the write keeps: collected, they would be lost.
    expect(writeBytes(client, Buffer.from(big))).toBe(false);
    collectGarbage();
    // Memory freed by the collection is handed out again and overwritten.
    const reuse = Array.from({ length: 4 }, () => Buffer.alloc(big.length, 0x5a));
    // Queued behind the unfinished write, in order, whichever way they are written.
    writeLatin1(client, 'after');
    client.write('more');
    const drained = once(client, 'drain');
    const received = readAll(accepted);
    await drained;
    expect(drains).toBe(1);
    client.end('end');
    expect((await received).equals(expected)).toBe(true);
    expect(reuse.length).toBe(4);
  });

  it('destroys the socket with the write error when the peer is gone, without throwing', async () => {
    const { accepted, client } = await acceptedPair();
    // The accepted side is not reading (paused on connect): it does not notice the reset until it writes.
    client.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(accepted.destroyed).toBe(false);
    const failed = once(accepted, 'error') as Promise<[NodeJS.ErrnoException]>;
    expect(writeLatin1(accepted, 'into the void')).toBe(false);
    expect(accepted.destroyed).toBe(true);
    const [error] = await failed;
    expect(['EPIPE', 'ECONNRESET']).toContain(error.code);
    expect(error.syscall).toBe('write');
  });

  it('fails a write after end() as socket.write does: nothing more reaches the peer', async () => {
    const { accepted, client } = await acceptedPair();
    const received = readAll(accepted);
    writeLatin1(client, 'last words');
    client.end();
    const failed = once(client, 'error') as Promise<[NodeJS.ErrnoException]>;
    expect(writeLatin1(client, 'too late')).toBe(false);
    expect((await failed)[0].code).toBe('ERR_STREAM_WRITE_AFTER_END');
    expect((await received).toString()).toBe('last words');
  });

  it('leaves a socket that is still connecting to socket.write', async () => {
    const { server, accepted } = await acceptedPair();
    accepted.destroy();
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const accepting = once(server, 'connection') as Promise<[Socket]>;
    const client = connect({ port: address.port, host: '127.0.0.1' });
    expect(client.connecting).toBe(true);
    writeLatin1(client, 'written before the connection was up');
    client.end();
    const [second] = await accepting;
    expect((await readAll(second)).toString()).toBe('written before the connection was up');
  });
});
